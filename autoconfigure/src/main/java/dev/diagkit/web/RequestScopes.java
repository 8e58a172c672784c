package dev.diagkit.web;

import java.util.ArrayDeque;
import java.util.Deque;

import dev.diagkit.labels.LabelScope;
import dev.diagkit.labels.LabelSet;
import dev.diagkit.labels.spi.LabelScopes;
import dev.diagkit.propagation.LabelBaggage;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The label scopes opened for one request after the filter's own (the endpoint, a tenant
 * found late, an unmatched route), kept on the request so that whoever ends the request's
 * handling on this thread closes them, newest first. Nearly every request opens one, kept as
 * it is; a second one (an unmatched route after the endpoint's) starts a stack.
 */
final class RequestScopes {

	private static final String ATTRIBUTE = RequestScopes.class.getName();

	private RequestScopes() {
	}

	/**
	 * Merges {@code labels} into the thread's labels until the request's scopes are closed.
	 */
	@SuppressWarnings("unchecked")
	static void open(HttpServletRequest request, LabelSet labels) {
		LabelScope scope = LabelScopes.open(labels);
		Object held = request.getAttribute(ATTRIBUTE);
		if (held instanceof Deque<?> scopes) {
			((Deque<LabelScope>) scopes).push(scope);
		}
		else if (held instanceof LabelScope first) {
			Deque<LabelScope> scopes = new ArrayDeque<>(4);
			scopes.push(first);
			scopes.push(scope);
			request.setAttribute(ATTRIBUTE, scopes);
		}
		else {
			request.setAttribute(ATTRIBUTE, scope);
		}
	}

	/**
	 * Keeps baggage written for the request until the request's scopes are closed.
	 */
	@SuppressWarnings("unchecked")
	static void carry(HttpServletRequest request, LabelBaggage.Carried carried) {
		if (carried == LabelBaggage.Carried.NONE) {
			return;
		}
		Object held = request.getAttribute(ATTRIBUTE);
		Deque<Object> scopes;
		if (held instanceof Deque<?> deque) {
			scopes = (Deque<Object>) deque;
		}
		else {
			scopes = new ArrayDeque<>(4);
			if (held != null) {
				scopes.push(held);
			}
			request.setAttribute(ATTRIBUTE, scopes);
		}
		scopes.push(new CarriedOnThread(carried, Thread.currentThread()));
	}

	/**
	 * Closes the scopes this thread opened for the request, newest first.
	 */
	static void close(HttpServletRequest request) {
		Object held = request.getAttribute(ATTRIBUTE);
		if (held == null) {
			return;
		}
		request.removeAttribute(ATTRIBUTE);
		if (held instanceof LabelScope scope) {
			closeIfOwned(scope);
		}
		else if (held instanceof Deque<?> scopes) {
			for (Object scope = scopes.poll(); scope != null; scope = scopes.poll()) {
				if (scope instanceof CarriedOnThread carried) {
					carried.closeIfOwned();
				}
				else {
					closeIfOwned((LabelScope) scope);
				}
			}
		}
	}

	private static void closeIfOwned(LabelScope scope) {
		if (scope.isOwnedByCurrentThread()) {
			scope.close();
		}
	}

	/** Baggage written on a thread, closed only there. */
	private record CarriedOnThread(LabelBaggage.Carried carried, Thread owner) {

		void closeIfOwned() {
			if (Thread.currentThread() == this.owner) {
				this.carried.close();
			}
		}

	}

}
