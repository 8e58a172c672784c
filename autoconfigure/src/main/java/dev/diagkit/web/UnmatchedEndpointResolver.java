package dev.diagkit.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Marks requests that no handler matched with {@code endpoint=<METHOD> UNMATCHED}, so the
 * 404 they cost (and the error page after it) is not attributed to a route. Resolves
 * nothing itself: the next resolver answers the request.
 */
public class UnmatchedEndpointResolver implements HandlerExceptionResolver {

	private final RequestLabeler labeler;

	/**
	 * Creates the resolver.
	 * @param labeler computes the labels
	 */
	public UnmatchedEndpointResolver(RequestLabeler labeler) {
		this.labeler = labeler;
	}

	@Override
	public @Nullable ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response,
			@Nullable Object handler, Exception ex) {
		if (ex instanceof NoHandlerFoundException || ex instanceof NoResourceFoundException) {
			// closed with the request's other scopes, by the interceptor or else the filter
			RequestScopes.open(request, this.labeler.endpointLabel(request, RequestLabeler.UNMATCHED));
		}
		return null;
	}

}
