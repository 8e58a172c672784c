package dev.diagkit.security;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.diagkit.endpoint.ClientRateLimiter;
import dev.diagkit.endpoint.DiagAudit;
import dev.diagkit.endpoint.DiagCall;
import dev.diagkit.endpoint.DiagRequest;
import dev.diagkit.endpoint.ReactiveDiagCall;
import dev.diagkit.endpoint.ReactiveDiagResponses;
import dev.diagkit.endpoint.TooManyRequestsException;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.web.server.ServerWebExchange;

/**
 * {@link DiagErrorResponses} on Spring WebFlux: refused diag calls are answered with a
 * status and a JSON body, never a redirect, and a caller refused for a missing role is
 * counted against its limit and audited.
 */
public final class ReactiveDiagErrorResponses implements ServerAuthenticationEntryPoint, ServerAccessDeniedHandler {

	private final @Nullable DiagAudit audit;

	private final @Nullable ClientRateLimiter rateLimiter;

	/**
	 * Creates the responses.
	 * @param audit records callers refused for a missing role, or {@code null}
	 * @param rateLimiter counts those refusals against the caller's limit, or {@code null}
	 */
	public ReactiveDiagErrorResponses(@Nullable DiagAudit audit, @Nullable ClientRateLimiter rateLimiter) {
		this.audit = audit;
		this.rateLimiter = rateLimiter;
	}

	@Override
	public Mono<Void> commence(ServerWebExchange exchange, AuthenticationException ex) {
		HttpHeaders headers = exchange.getResponse().getHeaders();
		headers.add(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"diag\"");
		headers.add(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"diag\"");
		return ReactiveDiagResponses.write(exchange.getResponse(), 401,
				"Authentication required: HTTP Basic with a user that has the diag role, or a diag bearer token");
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, AccessDeniedException denied) {
		return exchange.getPrincipal()
			.map((principal) -> principal.getName())
			.defaultIfEmpty("")
			.flatMap((name) -> refuse(exchange, name.isEmpty() ? null : name, denied));
	}

	private Mono<Void> refuse(ServerWebExchange exchange, @Nullable String principal, AccessDeniedException denied) {
		ServerHttpRequest request = exchange.getRequest();
		DiagCall call = ReactiveDiagCall.of(exchange);
		String client = call.clientAddress();
		if (this.rateLimiter != null) {
			try {
				this.rateLimiter.acquire(principal, client);
			}
			catch (TooManyRequestsException ex) {
				exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(ex.retryAfterSeconds()));
				return ReactiveDiagResponses.write(exchange.getResponse(), 429, String.valueOf(ex.getMessage()));
			}
		}
		String message = String.valueOf(denied.getMessage());
		if (this.audit != null) {
			Map<String, String> parameters = new LinkedHashMap<>();
			request.getQueryParams().forEach((name, values) -> parameters.put(name, String.join(",", values)));
			this.audit.record(new DiagRequest(call.lastPathSegment(), parameters, principal),
					request.getMethod().name(), client, "refused: " + message);
		}
		return ReactiveDiagResponses.write(exchange.getResponse(), 403, message);
	}

}
