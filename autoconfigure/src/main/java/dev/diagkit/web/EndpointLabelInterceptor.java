package dev.diagkit.web;

import dev.diagkit.labels.LabelSet;
import dev.diagkit.propagation.LabelBaggage;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.web.servlet.AsyncHandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Adds the {@code endpoint} label (method and route template, such as
 * {@code GET /orders/{id}}) as soon as the handler is known, so controller code runs with
 * it; also adds the tenant when the resolver could only find it after the security
 * filters. Never uses the raw URL.
 */
public class EndpointLabelInterceptor implements AsyncHandlerInterceptor {

	private final RequestLabeler labeler;

	private final @Nullable LabelBaggage baggage;

	/**
	 * Creates the interceptor.
	 * @param labeler computes the labels
	 */
	public EndpointLabelInterceptor(RequestLabeler labeler) {
		this(labeler, null);
	}

	/**
	 * Creates the interceptor.
	 * @param labeler computes the labels
	 * @param baggage the labels that cross services as baggage: an authenticated request
	 * takes those its caller sent, and a tenant found late is carried on the calls the
	 * handler makes; {@code null} for none
	 */
	public EndpointLabelInterceptor(RequestLabeler labeler, @Nullable LabelBaggage baggage) {
		this.labeler = labeler;
		this.baggage = baggage;
	}

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
		LabelSet labels = this.labeler.lateTenantLabel(request);
		if (this.baggage != null) {
			labels = labels.with(this.labeler.baggageLabels(request, this.baggage));
		}
		LabelSet found = labels;
		// an error dispatch already runs under the endpoint of the request that failed (the
		// filter put it back): the error page is that request's cost
		LabelSet known = this.labeler.knownEndpoint(request);
		if (request.getDispatcherType() != DispatcherType.ERROR || known == null) {
			Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
			String route = (pattern != null) ? pattern.toString() : RequestLabeler.UNMATCHED;
			LabelSet endpoint = this.labeler.endpointLabel(request, route);
			// an endpoint known before the handler was chosen is one the filter entered (found
			// on entry, or kept from the request's first dispatch): the thread runs under it
			if (!endpoint.equals(known)) {
				labels = labels.with(endpoint);
			}
		}
		if (!labels.isEmpty()) {
			RequestScopes.open(request, labels);
		}
		if (this.baggage != null && !found.isEmpty()) {
			RequestScopes.carry(request, this.baggage.carry(found));
		}
		return true;
	}

	@Override
	public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler,
			@Nullable Exception ex) {
		RequestScopes.close(request);
	}

	@Override
	public void afterConcurrentHandlingStarted(HttpServletRequest request, HttpServletResponse response,
			Object handler) {
		RequestScopes.close(request);
	}

}
