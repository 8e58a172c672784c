package dev.diagkit.web;

import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Reads the tenant of a WebFlux request from a header, optionally only once the request is
 * authenticated (the header is then read by {@link ReactiveAuthenticatedTenantFilter}, after
 * Spring Security).
 */
public final class ReactiveHeaderTenantResolver implements ReactiveTenantResolver {

	private final String headerName;

	private final boolean requiresAuthentication;

	/**
	 * Creates a resolver for the given header.
	 * @param headerName the header, for example {@code X-Tenant-ID}
	 */
	public ReactiveHeaderTenantResolver(String headerName) {
		this(headerName, false);
	}

	/**
	 * Creates a resolver for the given header.
	 * @param headerName the header, for example {@code X-Tenant-ID}
	 * @param requiresAuthentication whether to read the header only once the exchange has
	 * an authenticated principal
	 */
	public ReactiveHeaderTenantResolver(String headerName, boolean requiresAuthentication) {
		if (headerName == null || headerName.isBlank()) {
			throw new IllegalArgumentException("headerName must not be blank");
		}
		this.headerName = headerName;
		this.requiresAuthentication = requiresAuthentication;
	}

	@Override
	public Mono<String> resolveTenant(ServerWebExchange exchange) {
		String value = exchange.getRequest().getHeaders().getFirst(this.headerName);
		if (value == null || value.isBlank()) {
			return Mono.empty();
		}
		if (!this.requiresAuthentication) {
			return Mono.just(value.trim());
		}
		return exchange.getPrincipal().filter(ReactivePrincipals::authenticated).map((principal) -> value.trim());
	}

	/**
	 * Returns whether the header is read only for an authenticated principal.
	 * @return whether authentication is required
	 */
	public boolean requiresAuthentication() {
		return this.requiresAuthentication;
	}

	@Override
	public String toString() {
		return "ReactiveHeaderTenantResolver[" + this.headerName + (this.requiresAuthentication ? ", authenticated" : "")
				+ "]";
	}

}
