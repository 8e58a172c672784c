package dev.diagkit.endpoint;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.NotAcceptableStatusException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Spring WebFlux's counterpart of {@link DiagRequestFilter} for {@code /actuator/diag}: puts
 * the exchange into the call's Reactor context, where {@link ReactiveDiagEndpointExtension}
 * finds it, and refuses a client without credentials whose address has no call left
 * ({@code 429}) before Spring Security runs, after about a second, without holding a thread;
 * takes a {@code POST} without a body for an empty JSON object, as {@code curl -X POST}
 * sends it; drops {@code Range}, since a capture is sent whole and once; and answers errors WebFlux raises before diag's code runs (a body that is not a
 * JSON object of strings, an unsupported media type) with diag's JSON body naming what was
 * wrong.
 */
public final class ReactiveDiagRequestFilter implements WebFilter, Ordered {

	/** Ahead of Spring Security's chain, so that a flood never reaches authentication. */
	public static final int ORDER = -200;

	private final String path;

	private final @Nullable ClientRateLimiter rateLimiter;

	/**
	 * Creates the filter.
	 * @param path the endpoint's path within the application, such as
	 * {@code /actuator/diag}
	 * @param rateLimiter the endpoint's limiter, or {@code null}
	 */
	public ReactiveDiagRequestFilter(String path, @Nullable ClientRateLimiter rateLimiter) {
		this.path = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
		this.rateLimiter = rateLimiter;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		// every request of the application passes here: most are told apart without decoding
		String raw = ReactiveDiagCall.rawPath(exchange);
		if (raw.indexOf('%') < 0 && !raw.startsWith(this.path)) {
			return chain.filter(exchange);
		}
		String within = ReactiveDiagCall.of(exchange).path();
		if (!(within.equals(this.path) || within.startsWith(this.path + "/"))) {
			return chain.filter(exchange);
		}
		String client = ReactiveConnections.clientAddress(exchange.getRequest());
		if (this.rateLimiter != null && client != null
				&& !exchange.getRequest().getHeaders().containsHeader(HttpHeaders.AUTHORIZATION)) {
			try {
				this.rateLimiter.checkAddress(client);
			}
			catch (TooManyRequestsException ex) {
				exchange.getResponse()
					.getHeaders()
					.set(HttpHeaders.RETRY_AFTER, Long.toString(ex.retryAfterSeconds()));
				return Mono.delay(Duration.ofMillis(DiagErrorMessages.REFUSAL_DELAY_MILLIS))
					.then(ReactiveDiagResponses.write(exchange.getResponse(), HttpStatus.TOO_MANY_REQUESTS.value(),
							ex.getMessage()));
			}
		}
		boolean bodiless = isBodilessPost(exchange.getRequest());
		// no Range: a capture is a one-time file, deleted once sent, so it is sent whole
		ServerWebExchange effective = exchange.mutate().request((request) -> request.headers((headers) -> {
			headers.remove(HttpHeaders.RANGE);
			headers.remove(HttpHeaders.IF_RANGE);
			if (bodiless) {
				headers.setContentType(MediaType.APPLICATION_JSON);
			}
		})).build();
		ReactiveDiagCall call = new ReactiveDiagCall(effective);
		return chain.filter(effective)
			.onErrorResume(ResponseStatusException.class, (ex) -> contain(effective, ex))
			.contextWrite((context) -> context.put(ReactiveDiagCall.KEY, call));
	}

	/** No body: none announced, or an announced length of 0 (as {@code curl -d ''} sends). */
	private static boolean isBodilessPost(ServerHttpRequest request) {
		HttpHeaders headers = request.getHeaders();
		return HttpMethod.POST.equals(request.getMethod()) && !headers.containsHeader(HttpHeaders.TRANSFER_ENCODING)
				&& headers.getContentLength() <= 0;
	}

	/**
	 * Answers an error WebFlux raised before diag's code ran with diag's JSON body naming
	 * what was wrong, as the application's error handler would answer it otherwise.
	 */
	private static Mono<Void> contain(ServerWebExchange exchange, ResponseStatusException ex) {
		if (exchange.getResponse().isCommitted()) {
			return Mono.error(ex);
		}
		ServerHttpRequest request = exchange.getRequest();
		String message;
		if (ex instanceof UnsupportedMediaTypeStatusException) {
			message = DiagErrorMessages.unsupportedContentType(request.getHeaders().getFirst(HttpHeaders.CONTENT_TYPE));
		}
		else if (ex instanceof NotAcceptableStatusException) {
			message = DiagErrorMessages.notAcceptable(request.getHeaders().getFirst(HttpHeaders.ACCEPT));
		}
		else if (ex instanceof MethodNotAllowedException notAllowed) {
			message = DiagErrorMessages.methodNotAllowed(notAllowed.getHttpMethod());
		}
		else if (ex instanceof ServerWebInputException) {
			message = DiagErrorMessages.unreadableBody();
		}
		else if (ex.getStatusCode().value() == 404) {
			message = DiagErrorMessages.noSection(request.getURI().getRawPath());
		}
		else {
			message = (ex.getReason() != null) ? ex.getReason() : ex.getStatusCode().toString();
		}
		ex.getHeaders().forEach((name, values) -> exchange.getResponse().getHeaders().put(name, values));
		return ReactiveDiagResponses.write(exchange.getResponse(), ex.getStatusCode().value(), message);
	}

}
