package dev.diagkit.web;

import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Reads the tenant of a WebFlux request from a header.
 */
public final class ReactiveHeaderTenantResolver implements ReactiveTenantResolver {

	private final String headerName;

	/**
	 * Creates a resolver for the given header.
	 * @param headerName the header, for example {@code X-Tenant-ID}
	 */
	public ReactiveHeaderTenantResolver(String headerName) {
		if (headerName == null || headerName.isBlank()) {
			throw new IllegalArgumentException("headerName must not be blank");
		}
		this.headerName = headerName;
	}

	@Override
	public Mono<String> resolveTenant(ServerWebExchange exchange) {
		String value = exchange.getRequest().getHeaders().getFirst(this.headerName);
		return (value == null || value.isBlank()) ? Mono.empty() : Mono.just(value.trim());
	}

	@Override
	public String toString() {
		return "ReactiveHeaderTenantResolver[" + this.headerName + "]";
	}

}
