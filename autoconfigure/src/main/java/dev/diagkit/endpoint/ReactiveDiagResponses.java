package dev.diagkit.endpoint;

import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;

/**
 * Diag's errors written straight to a Spring WebFlux response by the diag filter and
 * security chain: the status and a JSON body {@code {"status": …, "message": …}}.
 */
public final class ReactiveDiagResponses {

	private ReactiveDiagResponses() {
	}

	/**
	 * Writes an error to a response.
	 * @param response the response
	 * @param status the status
	 * @param message what was wrong and what is accepted
	 * @return completes when the body is written
	 */
	public static Mono<Void> write(ServerHttpResponse response, int status, String message) {
		byte[] json = DiagResponses.errorJson(status, message);
		response.setStatusCode(HttpStatusCode.valueOf(status));
		response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
		response.getHeaders().setContentLength(json.length);
		DataBuffer buffer = response.bufferFactory().wrap(json);
		return response.writeWith(Mono.just(buffer));
	}

}
