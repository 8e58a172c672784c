package dev.diagkit.endpoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.json.JsonWriter;
import org.springframework.core.io.Resource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * The shapes of diag answers: JSON, UTF-8 text, HTML, a file to download, and errors with a
 * JSON body naming what was wrong, also written straight to a servlet response by the diag
 * filter and security chain ({@link #write}).
 */
public final class DiagResponses {

	private static final JsonWriter<Map<String, Object>> JSON = JsonWriter.standard();

	private static final MediaType TEXT = new MediaType("text", "plain", StandardCharsets.UTF_8);

	private static final MediaType HTML = new MediaType("text", "html", StandardCharsets.UTF_8);

	private DiagResponses() {
	}

	static ResponseEntity<Map<String, Object>> json(Map<String, Object> body) {
		return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(body);
	}

	static ResponseEntity<String> text(String body) {
		return ResponseEntity.ok().contentType(TEXT).body(body);
	}

	static ResponseEntity<String> html(String body) {
		return ResponseEntity.ok().contentType(HTML).body(body);
	}

	/** A text or HTML answer that a browser shows and {@code curl -OJ} saves under a name. */
	static ResponseEntity<String> inline(ResponseEntity<String> answer, String filename) {
		return ResponseEntity.status(answer.getStatusCode())
			.headers(answer.getHeaders())
			.header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.inline().filename(filename).build().toString())
			.body(answer.getBody());
	}

	static ResponseEntity<Resource> download(Resource resource, String filename) {
		return ResponseEntity.ok()
			.contentType(MediaType.APPLICATION_OCTET_STREAM)
			.header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(filename).build().toString())
			.body(resource);
	}

	/**
	 * Writes an error straight to a response: the status and a JSON body
	 * {@code {"status": …, "message": …}}, as bytes, since code that failed may already
	 * have taken the output stream.
	 * @param response the response
	 * @param status the status
	 * @param message what was wrong and what is accepted
	 * @throws IOException if the body cannot be written
	 */
	public static void write(HttpServletResponse response, int status, String message) throws IOException {
		response.setStatus(status);
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.setCharacterEncoding("UTF-8");
		byte[] json = errorJson(status, message);
		response.setContentLength(json.length);
		response.getOutputStream().write(json);
	}

	/**
	 * Returns an error's JSON body, {@code {"status": …, "message": …}}, as UTF-8.
	 * @param status the status
	 * @param message what was wrong and what is accepted
	 * @return the body
	 */
	static byte[] errorJson(int status, String message) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("status", status);
		body.put("message", message);
		return JSON.writeToString(body).getBytes(StandardCharsets.UTF_8);
	}

	static ResponseEntity<Map<String, Object>> error(HttpStatus status, @Nullable String message) {
		return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(errorBody(status, message));
	}

	static Map<String, Object> errorBody(HttpStatus status, @Nullable String message) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("status", status.value());
		body.put("message", (message != null) ? message : status.getReasonPhrase());
		return body;
	}

	/**
	 * Answers a section whose capability is off: {@code 200} with {@code enabled: false} and
	 * how to turn it on, as JSON or, when asked for, text.
	 */
	static ResponseEntity<?> off(String message, boolean text) {
		if (text) {
			return text(message + "\n");
		}
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("enabled", false);
		body.put("message", message);
		return json(body);
	}

}
