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
	static void open(HttpServletRequest request, LabelSet labels) {
		hold(request, LabelScopes.open(labels));
	}

	/**
	 * Keeps baggage written for the request until the request's scopes are closed.
	 */
	static void carry(HttpServletRequest request, LabelBaggage.Carried carried) {
		if (carried != LabelBaggage.Carried.NONE) {
			hold(request, new CarriedOnThread(carried, Thread.currentThread()));
		}
	}

	/** Keeps a scope (or written baggage) on the request, newest on top. */
	@SuppressWarnings("unchecked")
	private static void hold(HttpServletRequest request, Object scope) {
		Object held = request.getAttribute(ATTRIBUTE);
		if (held instanceof Deque<?> scopes) {
			((Deque<Object>) scopes).push(scope);
		}
		else if (held != null) {
			Deque<Object> scopes = new ArrayDeque<>(4);
			scopes.push(held);
			scopes.push(scope);
			request.setAttribute(ATTRIBUTE, scopes);
		}
		else {
			request.setAttribute(ATTRIBUTE, scope);
		}
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
		if (held instanceof Deque<?> scopes) {
			for (Object scope = scopes.poll(); scope != null; scope = scopes.poll()) {
				closeIfOwned(scope);
			}
		}
		else {
			closeIfOwned(held);
		}
	}

	private static void closeIfOwned(Object held) {
		if (held instanceof CarriedOnThread carried) {
			carried.closeIfOwned();
		}
		else if (held instanceof LabelScope scope && scope.isOwnedByCurrentThread()) {
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
