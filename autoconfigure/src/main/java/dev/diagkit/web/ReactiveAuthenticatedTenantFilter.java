package dev.diagkit.web;

import java.util.Optional;

import dev.diagkit.labels.LabelSet;
import dev.diagkit.propagation.ProfilingLabelsAccessor;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Asks the tenant resolver again, after Spring Security has run, for a WebFlux request that
 * had no tenant when it was labelled: a resolver that needs the authenticated principal
 * (such as the header resolver with {@code tenant-requires-authentication}) finds it here.
 * The request runs under the tenant from then on, its handler and the code on every
 * scheduler thread its work reaches; Spring Security's own filters ran without it.
 */
public class ReactiveAuthenticatedTenantFilter implements WebFilter, Ordered {

	/** After Spring Security's {@code WebFilterChainProxy} (order -100). */
	public static final int ORDER = 0;

	private final RequestLabelSets sets;

	private final ReactiveTenantResolver tenants;

	/** Whether asking again can find a tenant: not for a header read without a principal. */
	private final boolean asksAgain;

	/**
	 * Creates the filter.
	 * @param sets computes the tenant label
	 * @param tenants finds the tenant
	 */
	public ReactiveAuthenticatedTenantFilter(RequestLabelSets sets, ReactiveTenantResolver tenants) {
		this.sets = sets;
		this.tenants = tenants;
		this.asksAgain = !(tenants instanceof ReactiveHeaderTenantResolver header) || header.requiresAuthentication();
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (!this.asksAgain || exchange.getAttribute(ReactiveRequestLabelsFilter.TENANT_RESOLVED_ATTRIBUTE) != null) {
			return chain.filter(exchange);
		}
		// chain.filter completes empty: the tenant is wrapped so that "none found" is a value
		return this.tenants.resolveTenant(exchange)
			.map(Optional::of)
			.defaultIfEmpty(Optional.empty())
			.flatMap((found) -> Mono.deferContextual((context) -> {
				LabelSet labels = context.getOrDefault(ProfilingLabelsAccessor.KEY, null);
				if (found.isEmpty() || labels == null) {
					return chain.filter(exchange);
				}
				exchange.getAttributes().put(ReactiveRequestLabelsFilter.TENANT_RESOLVED_ATTRIBUTE, Boolean.TRUE);
				LabelSet withTenant = labels.with(this.sets.tenant(found.get()));
				return chain.filter(exchange)
					.contextWrite((inner) -> inner.put(ProfilingLabelsAccessor.KEY, withTenant));
			}));
	}

}
