package dev.diagkit.security;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;
import org.springframework.web.server.ServerWebExchange;

/**
 * Reads {@code Authorization: Bearer <token>} into a {@link DiagTokenAuthentication} on
 * Spring WebFlux; other requests are left to the next authentication (HTTP Basic).
 */
public final class ReactiveDiagTokenAuthenticationConverter implements ServerAuthenticationConverter {

	@Override
	public Mono<Authentication> convert(ServerWebExchange exchange) {
		return Mono.justOrEmpty(
				DiagTokenAuthentication.fromAuthorization(exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION)));
	}

}
