package dev.diagkit.security;

import java.util.function.Supplier;

import dev.diagkit.endpoint.ReactiveDiagCall;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.authorization.ReactiveAuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.server.authorization.AuthorizationContext;
import org.springframework.web.server.ServerWebExchange;

/**
 * {@link DiagAuthorizationManager}'s decisions on Spring WebFlux: reads need the read role
 * (or the admin role); mutations and captures need the admin role.
 */
public final class ReactiveDiagAuthorizationManager implements ReactiveAuthorizationManager<AuthorizationContext> {

	private final DiagAuthorizationManager decisions;

	/**
	 * Creates the manager.
	 * @param readRole the role reads need
	 * @param adminRole the role mutations and captures need; it grants reads too
	 * @param rootPath the endpoint's path within the application, such as
	 * {@code /actuator/diag}, or {@code null} while it is unknown (every non-read then needs
	 * the admin role)
	 */
	public ReactiveDiagAuthorizationManager(String readRole, String adminRole, Supplier<@Nullable String> rootPath) {
		this.decisions = new DiagAuthorizationManager(readRole, adminRole, rootPath);
	}

	@Override
	public Mono<AuthorizationResult> authorize(Mono<Authentication> authentication, AuthorizationContext context) {
		ServerWebExchange exchange = context.getExchange();
		String method = exchange.getRequest().getMethod().name();
		String path = ReactiveDiagCall.of(exchange).path();
		return authentication.<AuthorizationResult>map((auth) -> this.decisions.decide(auth, method, path))
			.defaultIfEmpty(new AuthorizationDecision(false));
	}

}
