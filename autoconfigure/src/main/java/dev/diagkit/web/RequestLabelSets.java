package dev.diagkit.web;

import java.util.List;

import dev.diagkit.labels.LabelPolicy;
import dev.diagkit.labels.LabelSet;
import dev.diagkit.propagation.LabelBaggage;
import org.jspecify.annotations.Nullable;

/**
 * The label sets of requests, whatever the web stack: static labels, {@code method},
 * {@code tenant} and {@code endpoint}, every value passed through the {@link LabelPolicy},
 * and the sets in recent use kept for reuse, so that a request allocates none. The servlet
 * filter's {@link RequestLabeler} and the WebFlux filter share it.
 */
public final class RequestLabelSets {

	/**
	 * Methods admitted as label values, by index; anything else a client invents is one value,
	 * the last.
	 */
	private static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS",
			"TRACE", "OTHER");

	private static final int OTHER_METHOD = METHODS.size() - 1;

	/** The cache key of requests that name no tenant: no header value is empty. */
	private static final String NO_TENANT = "";

	private final LabelPolicy policy;

	private final LabelSet staticLabels;

	private final @Nullable String defaultTenant;

	private final TenantValues tenantValues;

	private final RecentLabelSets entrySets;

	private final RecentLabelSets endpointSets;

	/**
	 * Creates the label sets.
	 * @param policy guards the values
	 * @param staticLabels labels added to every request
	 * @param defaultTenant the tenant of requests that name none, or {@code null} for no
	 * tenant label
	 * @param tenantValues the tenants admitted by name
	 */
	public RequestLabelSets(LabelPolicy policy, LabelSet staticLabels, @Nullable String defaultTenant,
			TenantValues tenantValues) {
		this.tenantValues = tenantValues;
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
	 * Returns the labels of a request as it enters: static labels, method and tenant.
	 * @param method the method, from {@link #methodIndex}
	 * @param tenant the tenant the request names, or {@code null} for the default tenant
	 * @return the labels
	 */
	public LabelSet entry(int method, @Nullable String tenant) {
		String key = (tenant != null) ? tenant : NO_TENANT;
		long now = System.nanoTime();
		LabelSet labels = this.entrySets.get(method, key, now);
		if (labels == null) {
			String admitted = admitTenant((tenant != null) ? tenant : this.defaultTenant);
			String methodValue = this.policy.admitCodeValue(RequestLabeler.METHOD, METHODS.get(method));
			labels = (admitted != null) ? LabelSet.of(RequestLabeler.METHOD, methodValue, RequestLabeler.TENANT, admitted)
					: LabelSet.of(RequestLabeler.METHOD, methodValue);
			labels = this.staticLabels.with(labels);
			// only values the policy took as they are: the keys stay within its limit
			if (tenant == null || tenant.equals(admitted)) {
				labels = this.entrySets.put(method, key, labels, now);
			}
		}
		return labels;
	}

	/**
	 * Returns the tenant label of a tenant found late, once the request is authenticated.
	 * @param tenant the tenant
	 * @return the label
	 */
	public LabelSet tenant(String tenant) {
		return LabelSet.of(RequestLabeler.TENANT, admitTenant(tenant));
	}

	/**
	 * Returns the labels an authenticated request takes from its trace's baggage: the tenant
	 * it carries when the request's own resolver found none (or when baggage is set to win),
	 * through the same checks as a tenant header; other keys when the request has no label
	 * of that key, through the label policy.
	 * @param known the labels the request has
	 * @param ownTenant whether the request's own resolver found its tenant
	 * @param baggage the baggage
	 * @return the labels taken, or empty
	 */
	public LabelSet fromBaggage(LabelSet known, boolean ownTenant, LabelBaggage baggage) {
		LabelSet taken = LabelSet.empty();
		if (baggage.keys().contains(RequestLabeler.TENANT)) {
			String tenant = baggage.incoming(RequestLabeler.TENANT);
			if (tenant != null && (!ownTenant || baggage.overridesRequest())) {
				taken = tenant(tenant);
			}
		}
		return taken.with(baggage.adopt((key) -> !RequestLabeler.TENANT.equals(key) && known.get(key) == null));
	}

	private @Nullable String admitTenant(@Nullable String tenant) {
		if (tenant == null) {
			return null;
		}
		if (this.tenantValues.admitsAny()) {
			return this.policy.admitValue(RequestLabeler.TENANT, tenant);
		}
		if (this.tenantValues.listed(tenant)) {
			return tenant;
		}
		return this.tenantValues.matches(tenant) ? this.policy.admitValue(RequestLabeler.TENANT, tenant)
				: this.policy.reject(RequestLabeler.TENANT);
	}

	/**
	 * Returns the endpoint label for a route template.
	 * @param method the method, from {@link #methodIndex}
	 * @param route the route template, or {@link RequestLabeler#UNMATCHED}
	 * @return the endpoint label
	 */
	public LabelSet endpoint(int method, String route) {
		long now = System.nanoTime();
		LabelSet endpoint = this.endpointSets.get(method, route, now);
		if (endpoint == null) {
			endpoint = this.endpointSets.put(method, route, LabelSet.of(RequestLabeler.ENDPOINT,
					this.policy.admitCodeValue(RequestLabeler.ENDPOINT, METHODS.get(method) + " " + route)), now);
		}
		return endpoint;
	}

	/** Returns how many request label sets are kept for reuse. */
	int keptEntrySets() {
		return this.entrySets.size();
	}

	/** How many method indexes {@link #methodIndex} gives, {@code OTHER} included. */
	static int methodCount() {
		return METHODS.size();
	}

	/**
	 * Returns a method as an index: the standard methods, then one for all others.
	 * @param method the request's method
	 * @return the index
	 */
	public static int methodIndex(String method) {
		int index = METHODS.indexOf(method);
		return (index >= 0 && index != OTHER_METHOD) ? index : OTHER_METHOD;
	}

}
