package dev.diagkit.web;

import java.util.ArrayDeque;
import java.util.Deque;

import dev.diagkit.labels.LabelScope;
import dev.diagkit.labels.LabelSet;
import dev.diagkit.labels.spi.LabelScopes;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * The label scopes opened for one request after the filter's own (the endpoint, a tenant
 * found late, an unmatched route), kept on the request so that whoever ends the request's
 * handling on this thread closes them, newest first.
 */
final class RequestScopes {

	private static final String ATTRIBUTE = RequestScopes.class.getName();

	private RequestScopes() {
	}

	/**
	 * Merges {@code labels} into the thread's labels until the request's scopes are closed.
	 */
	static void open(HttpServletRequest request, LabelSet labels) {
		Deque<LabelScope> scopes = scopes(request);
		if (scopes == null) {
			scopes = new ArrayDeque<>(2);
			request.setAttribute(ATTRIBUTE, scopes);
		}
		scopes.push(LabelScopes.open(labels));
	}

	/**
	 * Closes the scopes this thread opened for the request, newest first.
	 */
	static void close(HttpServletRequest request) {
		Deque<LabelScope> scopes = scopes(request);
		if (scopes == null) {
			return;
		}
		request.removeAttribute(ATTRIBUTE);
		for (LabelScope scope = scopes.poll(); scope != null; scope = scopes.poll()) {
			if (scope.isOwnedByCurrentThread()) {
				scope.close();
			}
		}
	}

	@SuppressWarnings("unchecked")
	private static @Nullable Deque<LabelScope> scopes(HttpServletRequest request) {
		return (request.getAttribute(ATTRIBUTE) instanceof Deque<?> scopes) ? (Deque<LabelScope>) scopes : null;
	}

}
