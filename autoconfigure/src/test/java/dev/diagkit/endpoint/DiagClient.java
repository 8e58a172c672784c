package dev.diagkit.endpoint;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import tools.jackson.databind.json.JsonMapper;

/**
 * A real HTTP client for the diag tests: basic or bearer credentials, optional
 * {@code X-Forwarded-For}.
 */
final class DiagClient {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final int port;

	DiagClient(int port) {
		this.port = port;
	}

	HttpResponse<String> get(String path, String... headers) throws Exception {
		return send("GET", path, null, headers);
	}

	CompletableFuture<HttpResponse<String>> getAsync(String path, String... headers) {
		return this.http.sendAsync(builder(path, headers).GET().build(), HttpResponse.BodyHandlers.ofString());
	}

	HttpResponse<byte[]> download(String path, String... headers) throws Exception {
		HttpRequest request = builder(path, headers).GET().build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofByteArray());
	}

	HttpResponse<String> post(String path, String body, String... headers) throws Exception {
		return send("POST", path, body, headers);
	}

	HttpResponse<String> send(String method, String path, String... headers) throws Exception {
		return send(method, path, null, headers);
	}

	HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
		HttpRequest.Builder builder = builder(path, headers);
		if (body != null) {
			boolean typed = false;
			for (int i = 0; i < headers.length; i += 2) {
				typed |= headers[i].equalsIgnoreCase("Content-Type");
			}
			if (!typed) {
				builder.header("Content-Type", "application/json");
			}
			builder.method(method, HttpRequest.BodyPublishers.ofString(body));
		}
		else {
			builder.method(method, HttpRequest.BodyPublishers.noBody());
		}
		return this.http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpRequest.Builder builder(String path, String... headers) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(60));
		for (int i = 0; i < headers.length; i += 2) {
			builder.header(headers[i], headers[i + 1]);
		}
		return builder;
	}

	static String[] basic(String user) {
		String credentials = user + ":" + DiagTestApplication.PASSWORD;
		return new String[] { "Authorization",
				"Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)) };
	}

	static String[] bearer(String token) {
		return new String[] { "Authorization", "Bearer " + token };
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> body(HttpResponse<String> response) {
		return json.readValue(response.body(), Map.class);
	}

}
