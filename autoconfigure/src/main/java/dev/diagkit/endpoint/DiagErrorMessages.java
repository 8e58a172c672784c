package dev.diagkit.endpoint;

import org.jspecify.annotations.Nullable;

/**
 * What an error raised by the web stack before diag's code runs means to a diag caller,
 * worded once for Spring MVC ({@link DiagRequestFilter}) and Spring WebFlux
 * ({@link ReactiveDiagRequestFilter}).
 */
final class DiagErrorMessages {

	/** How long a flooding client waits for its {@code 429}. */
	static final long REFUSAL_DELAY_MILLIS = 1000;

	private static final String PRODUCED = "application/json, text/plain, application/octet-stream or text/html";

	private DiagErrorMessages() {
	}

	static String unreadableBody() {
		return "The POST body must be a JSON object whose values are strings, such as "
				+ "{\"cpuInterval\": \"10ms\", \"ttl\": \"5m\"}; the parameters may also be given in the query "
				+ "string, or the body left out";
	}

	static String unsupportedContentType(@Nullable String contentType) {
		return "A diag POST body must be JSON (Content-Type: application/json) or absent; the Content-Type was '"
				+ contentType + "'";
	}

	static String methodNotAllowed(String method) {
		return "Diag answers GET, HEAD and POST; " + method + " is not one of them";
	}

	static String notAcceptable(@Nullable String accept) {
		return "Diag answers " + PRODUCED + "; the Accept header '" + accept + "' allows none of them";
	}

	static String refusedPath(String uri) {
		return "The request was refused before diag read it: its path '" + uri
				+ "' or its headers are not accepted (a diag path is /actuator/diag or /actuator/diag/<section>, "
				+ "without '..', ';', '//' or encoded slashes)";
	}

	static String noSection(String uri) {
		return "No diag section answers the path '" + uri + "'; the sections are "
				+ String.join(", ", DiagSection.names()) + ", each at /actuator/diag/<section>";
	}

}
