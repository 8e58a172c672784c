package dev.diagkit.web;

import java.util.List;

import dev.diagkit.labels.LabelPolicy;
import dev.diagkit.labels.LabelSet;
import dev.diagkit.propagation.LabelBaggage;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * Computes the labels of a request: static labels, {@code method}, {@code tenant} and
 * {@code endpoint}, every value passed through the {@link LabelPolicy}. Shared by the
 * filter, the interceptor and the exception resolver of one application.
 */
public final class RequestLabeler {

	/** The label key of the HTTP method. */
	public static final String METHOD = "method";

	/** The label key of the tenant. */
	public static final String TENANT = "tenant";

	/** The label key of the endpoint: method and route template. */
	public static final String ENDPOINT = "endpoint";

	/** The endpoint route given to requests that no handler matched. */
	public static final String UNMATCHED = "UNMATCHED";

	/** Request attribute holding the endpoint label once known, kept for error dispatches. */
	static final String ENDPOINT_ATTRIBUTE = RequestLabeler.class.getName() + ".endpoint";

	/** Request attribute holding the request's labels, reused by its async and error dispatches. */
	static final String LABELS_ATTRIBUTE = RequestLabeler.class.getName() + ".labels";

	/** Request attribute set once the tenant was resolved. */
	static final String TENANT_RESOLVED_ATTRIBUTE = RequestLabeler.class.getName() + ".tenantResolved";

	/** Request attribute set once the request's baggage was read. */
	static final String BAGGAGE_READ_ATTRIBUTE = RequestLabeler.class.getName() + ".baggageRead";

	private final TenantResolver tenantResolver;

	private final RequestLabelSets sets;

	/**
	 * Creates a labeler that admits every tenant value the policy admits.
	 * @param tenantResolver finds the tenant
	 * @param policy guards the values
	 * @param staticLabels labels added to every request
	 * @param defaultTenant the tenant of requests that name none, or {@code null} for no
	 * tenant label
	 */
	public RequestLabeler(TenantResolver tenantResolver, LabelPolicy policy, LabelSet staticLabels,
			@Nullable String defaultTenant) {
		this(tenantResolver, policy, staticLabels, defaultTenant, TenantValues.of(List.of()));
	}

	/**
	 * Creates a labeler.
	 * @param tenantResolver finds the tenant
	 * @param policy guards the values
	 * @param staticLabels labels added to every request
	 * @param defaultTenant the tenant of requests that name none, or {@code null} for no
	 * tenant label
	 * @param tenantValues the tenants admitted by name
	 */
	public RequestLabeler(TenantResolver tenantResolver, LabelPolicy policy, LabelSet staticLabels,
			@Nullable String defaultTenant, TenantValues tenantValues) {
		this.tenantResolver = tenantResolver;
		this.sets = new RequestLabelSets(policy, staticLabels, defaultTenant, tenantValues);
	}

	/**
	 * Returns the labels known when a request enters: static labels, method and tenant (when
	 * the resolver finds one already). Async and error dispatches of the same request get
	 * the labels of its first dispatch, including a tenant found late: their method may be
	 * rewritten and the principal not yet restored when they enter.
	 * @param request the request
	 * @return the labels
	 */
	LabelSet entryLabels(HttpServletRequest request) {
		if (request.getAttribute(LABELS_ATTRIBUTE) instanceof LabelSet known) {
			return known;
		}
		String tenant = this.tenantResolver.resolveTenant(request);
		if (tenant != null) {
			request.setAttribute(TENANT_RESOLVED_ATTRIBUTE, Boolean.TRUE);
		}
		LabelSet labels = this.sets.entry(methodIndex(request), tenant);
		request.setAttribute(LABELS_ATTRIBUTE, labels);
		return labels;
	}

	/**
	 * Returns the tenant label for a request whose tenant was not found on entry, asking the
	 * resolver again now that the security filters have run, and remembers it for the
	 * request's later dispatches.
	 * @param request the request
	 * @return the tenant label, or empty
	 */
	LabelSet lateTenantLabel(HttpServletRequest request) {
		if (request.getAttribute(TENANT_RESOLVED_ATTRIBUTE) != null) {
			return LabelSet.empty();
		}
		String tenant = this.tenantResolver.resolveTenant(request);
		if (tenant == null) {
			return LabelSet.empty();
		}
		request.setAttribute(TENANT_RESOLVED_ATTRIBUTE, Boolean.TRUE);
		LabelSet label = this.sets.tenant(tenant);
		if (request.getAttribute(LABELS_ATTRIBUTE) instanceof LabelSet known) {
			request.setAttribute(LABELS_ATTRIBUTE, known.with(label));
		}
		return label;
	}

	/**
	 * Returns the labels an authenticated request takes from its trace's baggage, once the
	 * security filters have run, and remembers them for the request's later dispatches.
	 * Baggage is a header any client may send: a request without a principal takes nothing
	 * from it ({@link RequestLabelSets#fromBaggage} says what it takes).
	 * @param request the request
	 * @param baggage the baggage
	 * @return the labels taken, or empty
	 */
	LabelSet baggageLabels(HttpServletRequest request, LabelBaggage baggage) {
		if (request.getUserPrincipal() == null || request.getAttribute(BAGGAGE_READ_ATTRIBUTE) != null) {
			return LabelSet.empty();
		}
		request.setAttribute(BAGGAGE_READ_ATTRIBUTE, Boolean.TRUE);
		LabelSet known = (request.getAttribute(LABELS_ATTRIBUTE) instanceof LabelSet labels) ? labels
				: LabelSet.empty();
		LabelSet taken = this.sets.fromBaggage(known,
				request.getAttribute(TENANT_RESOLVED_ATTRIBUTE) != null, baggage);
		if (!taken.isEmpty()) {
			request.setAttribute(LABELS_ATTRIBUTE, known.with(taken));
		}
		return taken;
	}

	/**
	 * Returns the endpoint label for a route template, remembering it on the request.
	 * @param request the request
	 * @param route the route template, or {@link #UNMATCHED}
	 * @return the endpoint label
	 */
	LabelSet endpointLabel(HttpServletRequest request, String route) {
		LabelSet endpoint = this.sets.endpoint(methodIndex(request), route);
		request.setAttribute(ENDPOINT_ATTRIBUTE, endpoint);
		return endpoint;
	}

	/**
	 * Returns the endpoint label already decided for this request, if any.
	 * @param request the request
	 * @return the label, or {@code null}
	 */
	@Nullable LabelSet knownEndpoint(HttpServletRequest request) {
		return (request.getAttribute(ENDPOINT_ATTRIBUTE) instanceof LabelSet endpoint) ? endpoint : null;
	}

	/** Returns how many request label sets are kept for reuse. */
	int keptEntrySets() {
		return this.sets.keptEntrySets();
	}

	/** How many method indexes {@link #methodIndex} gives, {@code OTHER} included. */
	static int methodCount() {
		return RequestLabelSets.methodCount();
	}

	/** The request's method as an index: the standard methods, then one for all others. */
	static int methodIndex(HttpServletRequest request) {
		return RequestLabelSets.methodIndex(request.getMethod());
	}

}
