package dev.diagkit.security;

import dev.diagkit.endpoint.ClientRateLimiter;
import dev.diagkit.endpoint.DiagCall;
import dev.diagkit.endpoint.NetworkAccess;
import dev.diagkit.endpoint.ReactiveDiagCall;
import dev.diagkit.endpoint.ReactiveDiagResponses;
import dev.diagkit.endpoint.TooManyRequestsException;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * {@link AllowedNetworksFilter} on Spring WebFlux: refuses clients outside the allowed
 * networks ({@code 403}) and addresses with too many failed authentications ({@code 429})
 * before authentication runs, and counts each {@code 401} against the client's address.
 */
public final class ReactiveAllowedNetworksFilter implements WebFilter {

	private final NetworkAccess access;

	private final ClientRateLimiter failedAuthentications;

	/**
	 * Creates the filter.
	 * @param access the networks diag is open to
	 * @param failedAuthentications the rate of failed authentications allowed per address
	 */
	public ReactiveAllowedNetworksFilter(NetworkAccess access, ClientRateLimiter failedAuthentications) {
		this.access = access;
		this.failedAuthentications = failedAuthentications;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		DiagCall call = ReactiveDiagCall.of(exchange);
		String client = call.clientAddress();
		String local = call.localAddress();
		if (!this.access.allowsAll() && (client == null || local == null || !this.access.allows(client, local))) {
			return ReactiveDiagResponses.write(exchange.getResponse(), HttpStatus.FORBIDDEN.value(),
					NetworkAccess.refusal(client));
		}
		if (client == null) {
			return chain.filter(exchange);
		}
		try {
			this.failedAuthentications.checkAddress(client);
		}
		catch (TooManyRequestsException ex) {
			exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(ex.retryAfterSeconds()));
			return ReactiveDiagResponses.write(exchange.getResponse(), HttpStatus.TOO_MANY_REQUESTS.value(),
					"Too many failed authentications from " + client + "; try again in " + ex.retryAfterSeconds()
							+ "s");
		}
		exchange.getResponse().beforeCommit(() -> {
			if (HttpStatus.UNAUTHORIZED.equals(exchange.getResponse().getStatusCode())) {
				this.failedAuthentications.chargeAddress(client);
			}
			return Mono.empty();
		});
		return chain.filter(exchange);
	}

}
