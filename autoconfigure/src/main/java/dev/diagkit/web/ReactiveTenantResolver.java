package dev.diagkit.web;

import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Finds the tenant of a WebFlux request, the reactive counterpart of {@link TenantResolver}.
 * Define a bean of this type to take the tenant from somewhere other than the tenant header.
 */
@FunctionalInterface
public interface ReactiveTenantResolver {

	/**
	 * Resolves the tenant of a request.
	 * @param exchange the exchange
	 * @return the tenant, or empty when the request names none
	 */
	Mono<String> resolveTenant(ServerWebExchange exchange);

}
