package dev.diagkit.web;

import java.util.List;

import dev.diagkit.labels.LabelPolicy;
import dev.diagkit.labels.LabelSet;
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

	/**
	 * Methods admitted as label values, by index; anything else a client invents is one value,
	 * the last.
	 */
	private static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS",
			"TRACE", "OTHER");

	private static final int OTHER_METHOD = METHODS.size() - 1;

	/** The cache key of requests that name no tenant: no header value is empty. */
	private static final String NO_TENANT = "";

	private final TenantResolver tenantResolver;

	private final LabelPolicy policy;

	private final LabelSet staticLabels;

	private final @Nullable String defaultTenant;

	private final TenantValues tenantValues;

	private final RecentLabelSets entrySets;

	private final RecentLabelSets endpointSets;

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
		this.tenantValues = tenantValues;
		this.tenantResolver = tenantResolver;
		this.policy = policy;
		this.staticLabels = policy.apply(staticLabels);
		this.defaultTenant = (defaultTenant == null || defaultTenant.isBlank()) ? null : defaultTenant;
		// the policy refreshes a value it sees after a sixteenth of its time-to-live: show it
		// every value in use twice as often
		long reuseNanos = Math.max(1, policy.valueTtl().toNanos() / 32);
		int bound = 2 * policy.maxValuesPerKey() + 2;
		this.entrySets = new RecentLabelSets(METHODS.size(), reuseNanos, bound);
		this.endpointSets = new RecentLabelSets(METHODS.size(), reuseNanos, bound);
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
		int method = methodIndex(request);
		String key = (tenant != null) ? tenant : NO_TENANT;
		long now = System.nanoTime();
		LabelSet labels = this.entrySets.get(method, key, now);
		if (labels == null) {
			String admitted = admitTenant((tenant != null) ? tenant : this.defaultTenant);
			String methodValue = this.policy.admitCodeValue(METHOD, METHODS.get(method));
			labels = (admitted != null) ? LabelSet.of(METHOD, methodValue, TENANT, admitted)
					: LabelSet.of(METHOD, methodValue);
			labels = this.staticLabels.with(labels);
			// only values the policy took as they are: the keys stay within its limit
			if (tenant == null || tenant.equals(admitted)) {
				labels = this.entrySets.put(method, key, labels, now);
			}
		}
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
		LabelSet label = LabelSet.of(TENANT, admitTenant(tenant));
		if (request.getAttribute(LABELS_ATTRIBUTE) instanceof LabelSet known) {
			request.setAttribute(LABELS_ATTRIBUTE, known.with(label));
		}
		return label;
	}

	private @Nullable String admitTenant(@Nullable String tenant) {
		if (tenant == null) {
			return null;
		}
		if (this.tenantValues.admitsAny()) {
			return this.policy.admitValue(TENANT, tenant);
		}
		if (this.tenantValues.listed(tenant)) {
			return tenant;
		}
		return this.tenantValues.matches(tenant) ? this.policy.admitValue(TENANT, tenant) : this.policy.reject(TENANT);
	}

	/**
	 * Returns the endpoint label for a route template, remembering it on the request.
	 * @param request the request
	 * @param route the route template, or {@link #UNMATCHED}
	 * @return the endpoint label
	 */
	LabelSet endpointLabel(HttpServletRequest request, String route) {
		int method = methodIndex(request);
		long now = System.nanoTime();
		LabelSet endpoint = this.endpointSets.get(method, route, now);
		if (endpoint == null) {
			endpoint = this.endpointSets.put(method, route,
					LabelSet.of(ENDPOINT, this.policy.admitCodeValue(ENDPOINT, METHODS.get(method) + " " + route)), now);
		}
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
		return this.entrySets.size();
	}

	/** How many method indexes {@link #methodIndex} gives, {@code OTHER} included. */
	static int methodCount() {
		return METHODS.size();
	}

	/** The request's method as an index: the standard methods, then one for all others. */
	static int methodIndex(HttpServletRequest request) {
		int index = METHODS.indexOf(request.getMethod());
		return (index >= 0 && index != OTHER_METHOD) ? index : OTHER_METHOD;
	}

}
