package dev.diagkit.endpoint;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Generated requests against a real server with real Spring Security: every parameter of
 * every section with values of every shape, odd sections and paths, methods, bodies and
 * headers, from a fixed seed ({@code -Ddiagkit.fuzz.seed} picks another). No answer is a
 * server error, every refusal diag gives is its JSON with a message, and every 400 names what
 * was wrong. A trace holds the only capture slot throughout, so valid captures answer 429 at
 * once instead of recording. 10,000 requests take about 50 s on two cores.
 */
@SpringBootTest(classes = DiagTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=diag", "logging.level.root=error",
				"diagkit.endpoint.requests-per-minute=10000000", "diagkit.endpoint.burst=10000000",
				"diagkit.endpoint.stacks.max-per-minute=10000000", "diagkit.endpoint.trace.max-duration=3600s" })
@DirtiesContext
class DiagSurfaceFuzzTests {

	static final int REQUESTS = 10_000;

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final List<String> METHODS = List.of("GET", "GET", "GET", "GET", "GET", "GET", "POST", "POST",
			"POST", "HEAD", "PUT", "DELETE", "PATCH", "OPTIONS");

	private static final List<String> SECTIONS = List.of("stacks", "labels", "metrics", "gc", "trace", "profile",
			"settings", "capacity", "native");

	private static final List<String> ODD_SECTIONS = List.of("", "STACKS", "%74race", "stacks/", "stacks/extra",
			"gc/..", "..", "stacks%3Bx=1", "%00", "%C3%A9t%C3%A9", "index", "stacks;jsessionid=1", "%2e%2e",
			"trace%2F..", "./gc", "%20");

	private static final List<String> PARAMETERS = List.of("format", "group", "seconds", "settings", "type", "focus",
			"thread", "cpuInterval", "allocationSamplesPerSecond", "lockThreshold", "ttl", "reset", "section");

	private static final List<String> VALUES = List.of("json", "text", "pprof", "collapsed", "html", "jfr", "xml",
			"cpu", "alloc", "lock", "wall", "default", "profile", "true", "false", "maybe", "TRUE", "", " ",
			"tenant=acme", "tenant=", "=acme", "a=b,c", "5ms", "1h", "-1s", "PT5M", "10", "0", "1", "61", "-5", "1.5",
			"1e3", "99999999999999999999", "10000", "10001", "NaN", "0ms", "2s", "10s", "11s", "1us", "500us");

	private static final List<String> BODIES = List.of("{}", "[]", "null", "{\"ttl\": 5}", "{\"ttl\": {\"a\": 1}}",
			"{\"reset\": true}", "{\"cpuInterval\": [\"5ms\"]}", "{", "not json", "\"\"");

	private static final List<String> ACCEPTS = List.of("*/*", "application/json", "text/plain", "text/html",
			"image/png", "application/octet-stream", "application/vnd.spring-boot.actuator.v3+json", "x/y;q=0");

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	/** Tokens with {sha256} hashes: HTTP Basic costs a bcrypt check per call, 60-80 ms here. */
	private static final Map<String, String> TOKENS = Map.of("admin", "fuzz-admin-token-0123456789abcdef", "reader",
			"fuzz-reader-token-0123456789abcdef");

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void tokens(DynamicPropertyRegistry registry) throws Exception {
		int i = 0;
		for (Map.Entry<String, String> token : TOKENS.entrySet()) {
			String sha = HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(token.getValue().getBytes(StandardCharsets.UTF_8)));
			registry.add("diagkit.security.tokens[" + i + "].name", token::getKey);
			registry.add("diagkit.security.tokens[" + i + "].hash", () -> "{sha256}" + sha);
			registry.add("diagkit.security.tokens[" + i + "].roles",
					() -> "admin".equals(token.getKey()) ? "DIAG_ADMIN" : "DIAG");
			i++;
		}
	}

	@Autowired
	private CaptureGate captureGate;

	@Test
	void noGeneratedRequestGetsAServerErrorAndEveryRefusalSaysWhy() throws Exception {
		long seed = Long.getLong("diagkit.fuzz.seed", 42);
		Random random = new Random(seed);
		List<String> failures = new ArrayList<>();
		int refusals = 0;
		try (Socket heldCapture = holdTheCaptureSlot()) {
			for (int i = 0; i < REQUESTS && failures.size() < 20; i++) {
				Call call = Call.generate(random);
				HttpResponse<String> response = this.http.send(call.toRequest(this.port),
						HttpResponse.BodyHandlers.ofString());
				String failure = check(call, response);
				if (failure != null) {
					failures.add("request " + i + " (seed " + seed + "): " + call + " -> " + failure);
				}
				refusals += (response.statusCode() >= 400) ? 1 : 0;
			}
			assertThat(this.captureGate.running()).as("the held trace still holds the slot").isEqualTo(1);
		}
		assertThat(failures).isEmpty();
		assertThat(refusals).as("requests refused with a 4xx").isGreaterThan(REQUESTS / 10);
	}

	private Socket holdTheCaptureSlot() throws Exception {
		Socket socket = new Socket("127.0.0.1", this.port);
		String[] admin = DiagClient.basic("admin");
		OutputStream out = socket.getOutputStream();
		out.write(("GET /actuator/diag/trace?seconds=3600 HTTP/1.1\r\nHost: x\r\n" + admin[0] + ": " + admin[1]
				+ "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
		out.flush();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.captureGate.running() == 1);
		return socket;
	}

	/** What is wrong with an answer, or {@code null}. */
	private static @Nullable String check(Call call, HttpResponse<String> response) {
		int status = response.statusCode();
		if (status >= 500) {
			return status + " " + response.body();
		}
		if (status < 400 || "HEAD".equals(call.method())
				|| !response.headers().firstValue("Content-Type").orElse("").contains("json")) {
			return null;
		}
		Map<?, ?> body;
		try {
			body = json.readValue(response.body(), Map.class);
		}
		catch (RuntimeException ex) {
			return status + " with a body that is not JSON: " + response.body();
		}
		Object message = body.get("message");
		if (!Integer.valueOf(status).equals(body.get("status")) || message == null
				|| message.toString().isBlank()) {
			return status + " without diag's status and message: " + response.body();
		}
		String text = message.toString();
		boolean named = call.parameters().keySet().stream().anyMatch((name) -> text.contains("'" + name + "'"))
				|| text.contains("section") || text.contains("cpuInterval") || text.contains("POST body")
				|| text.contains("path '");
		return (status != 400 || named) ? null : "a 400 that does not say what was wrong: " + text;
	}

	record Call(String method, String section, Map<String, String> parameters, String credentials,
			@Nullable String body, boolean parametersInBody, @Nullable String accept, @Nullable String tenant) {

		static Call generate(Random random) {
			String method = pick(random, METHODS);
			int kind = random.nextInt(10);
			String section = (kind < 8) ? pick(random, SECTIONS)
					: (kind == 8) ? pick(random, ODD_SECTIONS) : word(random, 16);
			Map<String, String> parameters = new LinkedHashMap<>();
			for (int i = random.nextInt(5); i > 0; i--) {
				String name = (random.nextInt(10) < 9) ? pick(random, PARAMETERS) : text(random, 8);
				int shape = random.nextInt(3);
				String value = (shape == 0) ? pick(random, VALUES)
						: (shape == 1) ? Integer.toString(random.nextInt()) : text(random, 30);
				parameters.put(name.isEmpty() ? "x" : name, value);
			}
			int who = random.nextInt(10);
			String credentials = (who < 8) ? "admin" : (who == 8) ? "reader" : "none";
			int bodyKind = random.nextInt(7);
			boolean inBody = "POST".equals(method) && bodyKind < 4;
			String body = !"POST".equals(method) ? null
					: inBody ? json.writeValueAsString(parameters) : (bodyKind < 6) ? null : pick(random, BODIES);
			String accept = (random.nextInt(10) < 3) ? pick(random, ACCEPTS) : null;
			String tenant = (random.nextInt(10) < 2) ? word(random, 40) : null;
			return new Call(method, section, parameters, credentials, body, inBody, accept, tenant);
		}

		HttpRequest toRequest(int port) {
			String query = this.parameters.entrySet()
				.stream()
				.map((p) -> encode(p.getKey()) + "=" + encode(p.getValue()))
				.collect(Collectors.joining("&"));
			String path = "/actuator/diag" + (this.section.isEmpty() ? "" : "/" + this.section)
					+ ((query.isEmpty() || this.parametersInBody) ? "" : "?" + query);
			HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
				.timeout(Duration.ofSeconds(30));
			if (!"none".equals(this.credentials)) {
				builder.header("Authorization", "Bearer " + TOKENS.get(this.credentials));
			}
			if (this.accept != null) {
				builder.header("Accept", this.accept);
			}
			if (this.tenant != null) {
				builder.header("X-Tenant-ID", this.tenant);
			}
			if (this.body != null) {
				builder.header("Content-Type", "application/json");
				builder.method(this.method, HttpRequest.BodyPublishers.ofString(this.body));
			}
			else {
				builder.method(this.method, HttpRequest.BodyPublishers.noBody());
			}
			return builder.build();
		}

		private static String pick(Random random, List<String> values) {
			return values.get(random.nextInt(values.size()));
		}

		/** Letters, digits and the unreserved marks of a URL. */
		private static String word(Random random, int maxLength) {
			String chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~";
			StringBuilder word = new StringBuilder();
			for (int i = random.nextInt(maxLength + 1); i > 0; i--) {
				word.append(chars.charAt(random.nextInt(chars.length())));
			}
			return word.toString();
		}

		/** Any characters, control and non-Latin ones included. */
		private static String text(Random random, int maxLength) {
			StringBuilder text = new StringBuilder();
			for (int i = random.nextInt(maxLength + 1); i > 0; i--) {
				int kind = random.nextInt(4);
				text.appendCodePoint((kind == 0) ? random.nextInt(0x20) : (kind == 1) ? 0x20 + random.nextInt(0x5f)
						: (kind == 2) ? 0xa0 + random.nextInt(0x2000) : 0x1f600 + random.nextInt(0x50));
			}
			return text.toString();
		}

		private static String encode(String value) {
			return URLEncoder.encode(value, StandardCharsets.UTF_8);
		}

	}

}
