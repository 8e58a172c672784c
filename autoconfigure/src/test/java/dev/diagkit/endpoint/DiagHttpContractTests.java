package dev.diagkit.endpoint;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.audit.AuditEvent;
import org.springframework.boot.actuate.audit.AuditEventRepository;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * diag speaks HTTP like Spring Boot's own endpoints (a POST needs no body) and answers every
 * error itself: nothing is forwarded to the application's {@code /error} and security chain,
 * whatever the credentials. Over real HTTP with real Spring Security.
 */
@SpringBootTest(classes = DiagTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=diag,health",
				"diagkit.endpoint.requests-per-minute=100000", "diagkit.endpoint.burst=100000",
				"diagkit.endpoint.stacks.max-per-minute=100000" })
@DirtiesContext
class DiagHttpContractTests {

	/** Requests Spring MVC or diag refuse, each with the status it must get. */
	private static final List<BadRequest> BAD_REQUESTS = List.of(
			new BadRequest("PUT", "/actuator/diag/gc", null, null, 405, "PUT"),
			new BadRequest("DELETE", "/actuator/diag/settings", null, null, 405, "DELETE"),
			new BadRequest("GET", "/actuator/diag/stacks", null, "image/png", 406, "Accept"),
			new BadRequest("POST", "/actuator/diag/settings", "text/xml", null, 415, "Content-Type"),
			new BadRequest("POST", "/actuator/diag/settings", "application/json", null, 400, "JSON object"),
			new BadRequest("GET", "/actuator/diag/stacks?format=xml", null, null, 400, "'format'"),
			new BadRequest("GET", "/actuator/diag/nope", null, null, 400, "Unknown section"),
			new BadRequest("GET", "/actuator/diag/gc", null, null, 405, "POST"),
			new BadRequest("POST", "/actuator/diag/settings", null, null, 400, "cpuInterval"));

	@LocalServerPort
	private int port;

	@Autowired
	private AuditEventRepository audit;

	@DynamicPropertySource
	static void tokens(DynamicPropertyRegistry registry) throws Exception {
		DiagEndpointSecurityTests.tokens(registry);
	}

	@Test
	void aPostWithoutBodyOrContentTypeIsAnsweredLikeBootsOwnEndpoints() throws Exception {
		assertThat(raw("POST /actuator/diag/gc", basicHeader("admin"))).startsWith("HTTP/1.1 200");
		HttpResponse<String> empty = new DiagClient(this.port).send("POST", "/actuator/diag/gc",
				DiagClient.bearer(DiagEndpointSecurityTests.ADMIN_TOKEN));
		assertThat(empty.statusCode()).as(empty.body()).isEqualTo(200);
		String settings = raw("POST /actuator/diag/settings", basicHeader("admin"));
		assertThat(settings).startsWith("HTTP/1.1 400").contains("Give at least one of cpuInterval");
	}

	@Test
	void parametersOfAPostMayComeInTheQueryString() throws Exception {
		HttpResponse<String> response = new DiagClient(this.port).send("POST",
				"/actuator/diag/settings?cpuInterval=15ms&ttl=1m", DiagClient.basic("admin"));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(DiagClient.body(response)).extractingByKey("current")
			.asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
			.containsEntry("cpuInterval", "15ms");
		new DiagClient(this.port).post("/actuator/diag/settings", "{\"reset\":\"true\"}", DiagClient.basic("admin"));
	}

	@Test
	void everyRefusalIsDiagsOwnAnswerWhateverTheCredentials() throws Exception {
		for (String[] credentials : List.of(DiagClient.basic("admin"),
				DiagClient.bearer(DiagEndpointSecurityTests.ADMIN_TOKEN), new String[0])) {
			for (BadRequest bad : BAD_REQUESTS) {
				HttpResponse<String> response = bad.send(new DiagClient(this.port), credentials);
				String what = bad + " with " + ((credentials.length == 0) ? "no credentials"
						: credentials[1].substring(0, credentials[1].indexOf(' ')));
				int expected = (credentials.length == 0) ? 401 : bad.status();
				assertThat(response.statusCode()).as(what + ": " + response.body()).isEqualTo(expected);
				assertThat(response.headers().allValues("Set-Cookie")).as(what).isEmpty();
				assertThat(response.headers().allValues("WWW-Authenticate")).as(what)
					.allMatch((challenge) -> challenge.endsWith("realm=\"diag\""));
				Map<String, Object> body = DiagClient.body(response);
				assertThat(body).as(what).containsOnlyKeys("status", "message").containsEntry("status", expected);
				if (credentials.length > 0) {
					assertThat(body.get("message").toString()).as(what).contains(bad.named());
				}
			}
		}
	}

	@Test
	void aCallerWithoutTheRoleIsRefusedInASentenceAndAudited() throws Exception {
		HttpResponse<String> response = new DiagClient(this.port).send("POST", "/actuator/diag/gc",
				DiagClient.bearer(DiagEndpointSecurityTests.READER_TOKEN));
		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(DiagClient.body(response)).containsEntry("message",
				"This diag operation needs the role DIAG_ADMIN, which 'dashboard' does not have");
		List<AuditEvent> events = this.audit.find("dashboard", null, "DIAG_GC");
		assertThat(events).isNotEmpty();
		assertThat(events.get(events.size() - 1).getData()).containsEntry("method", "POST")
			.containsEntry("outcome", "refused: This diag operation needs the role DIAG_ADMIN, which 'dashboard' "
					+ "does not have");
		HttpResponse<String> noRole = new DiagClient(this.port).get("/actuator/diag/labels",
				DiagClient.basic("user"));
		assertThat(DiagClient.body(noRole)).containsEntry("message",
				"Diag needs the role DIAG or DIAG_ADMIN, and 'user' has neither");
		assertThat(this.audit.find("user", null, "DIAG_LABELS")).isNotEmpty();
	}

	@Test
	void aSettingsChangeThatRevertsAtTheEndOfItsTtlIsAudited() throws Exception {
		HttpResponse<String> response = new DiagClient(this.port).post("/actuator/diag/settings",
				"{\"lockThreshold\":\"3ms\",\"ttl\":\"1s\"}", DiagClient.basic("admin"));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.audit.find("admin", null, "DIAG_SETTINGS"))
				.anySatisfy((event) -> assertThat(event.getData()).containsEntry("method", "TTL")
					.containsEntry("outcome", "reverted: the change by admin reached the end of its ttl")));
	}

	private String raw(String requestLine, String... headers) throws Exception {
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.setSoTimeout(30_000);
			StringBuilder request = new StringBuilder(requestLine).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
			for (String header : headers) {
				request.append(header).append("\r\n");
			}
			request.append("Connection: close\r\n\r\n");
			OutputStream out = socket.getOutputStream();
			out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			ByteArrayOutputStream response = new ByteArrayOutputStream();
			in.transferTo(response);
			return response.toString(StandardCharsets.UTF_8);
		}
	}

	private static String basicHeader(String user) {
		String[] basic = DiagClient.basic(user);
		return basic[0] + ": " + basic[1];
	}

	private record BadRequest(String method, String path, String contentType, String accept, int status,
			String named) {

		HttpResponse<String> send(DiagClient client, String... credentials) throws Exception {
			List<String> headers = new java.util.ArrayList<>(List.of(credentials));
			if (this.accept != null) {
				headers.addAll(List.of("Accept", this.accept));
			}
			if (this.contentType != null) {
				headers.addAll(List.of("Content-Type", this.contentType));
				String body = this.contentType.equals("text/xml") ? "<a/>" : "{\"ttl\": [1]}";
				return client.send(this.method, this.path, body, headers.toArray(String[]::new));
			}
			return client.send(this.method, this.path, headers.toArray(String[]::new));
		}

		@Override
		public String toString() {
			return this.method + " " + this.path;
		}

	}

}
