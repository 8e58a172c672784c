package dev.diagkit.web;

import java.io.IOException;

import dev.diagkit.labels.LabelScope;
import dev.diagkit.labels.LabelSet;
import dev.diagkit.labels.spi.LabelScopes;
import dev.diagkit.propagation.LabelBaggage;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.jspecify.annotations.Nullable;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Runs every request under exactly its {@code method} and {@code tenant} labels (and the
 * static labels), and gives the thread its previous labels back when the request leaves,
 * also when it fails. Async and error dispatches are labelled too, with the labels of the
 * request's first dispatch; an error dispatch keeps the endpoint of the request that
 * failed. HTTP methods outside the standard ones are labelled {@code OTHER}.
 * <p>
 * Given a {@link HandlerRouteResolver}, the request's {@code endpoint} is known as it
 * enters, so the filters after this one (authentication, say) run under it too; without
 * one, the endpoint is added once the handler is chosen.
 */
public class RequestLabelsFilter extends OncePerRequestFilter {

	/** Built once: the default name is concatenated on every request. */
	private static final String ALREADY_FILTERED = RequestLabelsFilter.class.getName() + ALREADY_FILTERED_SUFFIX;

	private final RequestLabeler labeler;

	private final @Nullable HandlerRouteResolver routes;

	private final @Nullable LabelBaggage baggage;

	private RequestTasks tasks = RequestTasks.NONE;

	/**
	 * Creates the filter, which leaves the endpoint to the {@link EndpointLabelInterceptor}.
	 * @param labeler computes the labels
	 */
	public RequestLabelsFilter(RequestLabeler labeler) {
		this(labeler, null);
	}

	/**
	 * Creates the filter.
	 * @param labeler computes the labels
	 * @param routes finds the endpoint as the request enters, or {@code null} to leave it to
	 * the {@link EndpointLabelInterceptor}
	 */
	public RequestLabelsFilter(RequestLabeler labeler, @Nullable HandlerRouteResolver routes) {
		this(labeler, routes, null);
	}

	/**
	 * Creates the filter.
	 * @param labeler computes the labels
	 * @param routes finds the endpoint as the request enters, or {@code null} to leave it to
	 * the {@link EndpointLabelInterceptor}
	 * @param baggage the labels that cross services as baggage: the calls the request makes
	 * carry its own ({@link EndpointLabelInterceptor} takes those its caller sent);
	 * {@code null} for none
	 */
	public RequestLabelsFilter(RequestLabeler labeler, @Nullable HandlerRouteResolver routes,
			@Nullable LabelBaggage baggage) {
		this.labeler = labeler;
		this.routes = routes;
		this.baggage = baggage;
	}

	/**
	 * Sets what starts each request's trace task (none by default). The task lasts until the
	 * request completes, asynchronous processing included.
	 * @param tasks starts the tasks
	 */
	public void setRequestTasks(RequestTasks tasks) {
		this.tasks = tasks;
	}

	@Override
	protected boolean shouldNotFilterAsyncDispatch() {
		return false;
	}

	@Override
	protected boolean shouldNotFilterErrorDispatch() {
		return false;
	}

	@Override
	protected String getAlreadyFilteredAttributeName() {
		return ALREADY_FILTERED;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		LabelSet labels = this.labeler.entryLabels(request);
		DispatcherType dispatch = request.getDispatcherType();
		LabelSet endpoint = this.labeler.knownEndpoint(request);
		if (endpoint == null && dispatch == DispatcherType.REQUEST && this.routes != null) {
			String route = this.routes.route(request);
			if (route != null) {
				endpoint = this.labeler.endpointLabel(request, route);
			}
		}
		if (endpoint != null) {
			labels = labels.with(endpoint);
		}
		LabelBaggage carried = (dispatch == DispatcherType.REQUEST) ? this.baggage : null;
		// exactly the request's labels: a server thread may have inherited some from the thread
		// that created it, and must not lend them to requests
		try (LabelScope scope = LabelScopes.openExactly(labels);
				LabelBaggage.Carried written = (carried != null) ? carried.carry(labels) : LabelBaggage.Carried.NONE) {
			RequestTasks.Task task = RequestTaskScope.enter(this.tasks, request, dispatch);
			try {
				chain.doFilter(request, response);
			}
			finally {
				RequestTaskScope.leave(task, request, dispatch);
				RequestScopes.close(request);
			}
		}
	}

}
