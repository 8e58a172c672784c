package dev.diagkit.endpoint;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.audit.AuditEvent;
import org.springframework.boot.actuate.audit.AuditEventRepository;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may call what: every section and method against anonymous callers, readers, admins,
 * users without a diag role, and bearer tokens, over real HTTP with real Spring Security.
 */
@SpringBootTest(classes = DiagTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=diag,health",
				"diagkit.endpoint.requests-per-minute=100000", "diagkit.endpoint.burst=100000",
				"diagkit.endpoint.stacks.max-per-minute=100000" })
@DirtiesContext
class DiagEndpointSecurityTests {

	static final String ADMIN_TOKEN = "admin-token-for-tests-0123456789";

	static final String READER_TOKEN = "reader-token-for-tests-9876543210";

	@LocalServerPort
	private int port;

	@Autowired
	private AuditEventRepository audit;

	@DynamicPropertySource
	static void tokens(DynamicPropertyRegistry registry) throws Exception {
		String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
			.digest(ADMIN_TOKEN.getBytes(StandardCharsets.UTF_8)));
		registry.add("diagkit.security.tokens[0].name", () -> "ci-admin");
		registry.add("diagkit.security.tokens[0].hash", () -> "{sha256}" + sha);
		registry.add("diagkit.security.tokens[0].roles", () -> "DIAG_ADMIN");
		String bcrypt = new BCryptPasswordEncoder().encode(READER_TOKEN);
		registry.add("diagkit.security.tokens[1].name", () -> "dashboard");
		registry.add("diagkit.security.tokens[1].hash", () -> "{bcrypt}" + bcrypt);
		registry.add("diagkit.security.tokens[1].roles", () -> "DIAG");
	}

	static Stream<Arguments> operations() {
		return Stream.of(Arguments.of("GET", "/actuator/diag", false), Arguments.of("GET", "/actuator/diag/stacks", false),
				Arguments.of("GET", "/actuator/diag/stacks?format=text", false),
				Arguments.of("GET", "/actuator/diag/labels", false), Arguments.of("GET", "/actuator/diag/metrics", false),
				Arguments.of("GET", "/actuator/diag/settings", false), Arguments.of("GET", "/actuator/diag/native", false),
				Arguments.of("GET", "/actuator/diag/capacity", false),
				Arguments.of("GET", "/actuator/diag/capacity?format=text", false),
				Arguments.of("GET", "/actuator/diag/profiles", false),
				Arguments.of("GET", "/actuator/diag/profiles/cpu?from=-1h", false),
				Arguments.of("GET", "/actuator/diag/memory", false),
				Arguments.of("POST", "/actuator/diag/memory?action=resume", true),
				Arguments.of("POST", "/actuator/diag/gc", true), Arguments.of("POST", "/actuator/diag/settings", true),
				Arguments.of("GET", "/actuator/diag/trace?seconds=1", true),
				Arguments.of("GET", "/actuator/diag/profile?seconds=1&format=collapsed", true));
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("operations")
	void anonymousCallersGet401WithAChallengeNeverARedirect(String method, String path, boolean admin)
			throws Exception {
		HttpResponse<String> response = call(method, path);
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().allValues("WWW-Authenticate")).contains("Basic realm=\"diag\"",
				"Bearer realm=\"diag\"");
		assertThat(DiagClient.body(response)).containsEntry("status", 401);
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("operations")
	void readersMayReadButNotMutateOrCapture(String method, String path, boolean admin) throws Exception {
		HttpResponse<String> response = call(method, path, DiagClient.basic("reader"));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(admin ? 403 : 200);
		if (admin) {
			assertThat(DiagClient.body(response).get("message").toString()).contains("DIAG_ADMIN");
		}
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("operations")
	void adminsMayDoEverything(String method, String path, boolean admin) throws Exception {
		assertThat(call(method, path, DiagClient.basic("admin")).statusCode()).isEqualTo(200);
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("operations")
	void usersWithoutADiagRoleGet403(String method, String path, boolean admin) throws Exception {
		assertThat(call(method, path, DiagClient.basic("user")).statusCode()).isEqualTo(403);
	}

	@Test
	void bearerTokensAuthenticateWithTheirRoles() throws Exception {
		assertThat(call("POST", "/actuator/diag/gc", DiagClient.bearer(ADMIN_TOKEN)).statusCode()).isEqualTo(200);
		assertThat(call("GET", "/actuator/diag/labels", DiagClient.bearer(READER_TOKEN)).statusCode()).isEqualTo(200);
		assertThat(call("POST", "/actuator/diag/gc", DiagClient.bearer(READER_TOKEN)).statusCode()).isEqualTo(403);
	}

	@Test
	void noPathOrParameterTrickRunsACaptureWithTheReadRole() throws Exception {
		DiagClient client = new DiagClient(this.port);
		HttpResponse<String> overridden = client.get("/actuator/diag/stacks?section=trace&seconds=1",
				DiagClient.basic("reader"));
		assertThat(overridden.statusCode()).isEqualTo(400);
		assertThat(DiagClient.body(overridden).get("message").toString()).contains("'section'");
		assertThat(client.get("/actuator/diag/%74race?seconds=1", DiagClient.basic("reader")).statusCode())
			.isEqualTo(403);
		assertThat(client.get("/actuator/diag/TRACE?seconds=1", DiagClient.basic("reader")).statusCode())
			.isEqualTo(403);
		assertThat(client.post("/actuator/diag/settings", "{\"section\":\"gc\",\"reset\":\"true\"}",
				DiagClient.basic("admin")).statusCode()).as("a body key cannot redirect a POST").isEqualTo(400);
	}

	@Test
	void readersMayUseHead() throws Exception {
		HttpResponse<String> head = new DiagClient(this.port).send("HEAD", "/actuator/diag/labels",
				DiagClient.basic("reader"));
		assertThat(head.statusCode()).isEqualTo(200);
	}

	@Test
	void gcAnswersGetWith405AndAllow() throws Exception {
		HttpResponse<String> response = new DiagClient(this.port).get("/actuator/diag/gc", DiagClient.basic("admin"));
		assertThat(response.statusCode()).isEqualTo(405);
		assertThat(response.headers().firstValue("Allow")).hasValue("POST");
	}

	@Test
	void unknownBearerTokenGets401() throws Exception {
		HttpResponse<String> response = call("GET", "/actuator/diag/labels", DiagClient.bearer("not-a-token"));
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(call("GET", "/actuator/diag/labels", DiagClient.bearer(ADMIN_TOKEN + "x")).statusCode())
			.isEqualTo(401);
	}

	@Test
	void wrongPasswordGets401() throws Exception {
		HttpResponse<String> response = new DiagClient(this.port).get("/actuator/diag", "Authorization",
				"Basic " + Base64.getEncoder().encodeToString("admin:wrong".getBytes()));
		assertThat(response.statusCode()).isEqualTo(401);
	}

	@Test
	void theApplicationsOwnChainStillProtectsItsPages() throws Exception {
		DiagClient client = new DiagClient(this.port);
		assertThat(client.get("/hello").statusCode()).isEqualTo(401);
		HttpResponse<String> hello = client.get("/hello", DiagClient.basic("user"));
		assertThat(hello.statusCode()).isEqualTo(200);
		assertThat(hello.body()).isEqualTo("hello");
	}

	@Test
	void mutationsAndCapturesAreAudited() throws Exception {
		assertThat(call("POST", "/actuator/diag/gc", DiagClient.basic("admin")).statusCode()).isEqualTo(200);
		List<AuditEvent> events = this.audit.find("admin", null, "DIAG_GC");
		assertThat(events).isNotEmpty();
		AuditEvent event = events.get(events.size() - 1);
		assertThat(event.getData()).containsEntry("section", "gc").containsEntry("method", "POST")
			.containsEntry("outcome", "ok 200").containsEntry("client", "127.0.0.1");
		assertThat(this.audit.find("reader", null, "DIAG_LABELS")).as("reads are not audited").isEmpty();
	}

	@Test
	void bearerLoginsRaiseTheSameAuthenticationEventsAsBasicOnes() throws Exception {
		assertThat(call("GET", "/actuator/diag/labels", DiagClient.bearer(ADMIN_TOKEN)).statusCode()).isEqualTo(200);
		assertThat(call("GET", "/actuator/diag/labels", DiagClient.bearer("not-a-token")).statusCode()).isEqualTo(401);
		assertThat(call("GET", "/actuator/diag/labels", DiagClient.basic("reader")).statusCode()).isEqualTo(200);
		assertThat(new DiagClient(this.port)
			.get("/actuator/diag", "Authorization",
					"Basic " + Base64.getEncoder().encodeToString("reader:wrong".getBytes(StandardCharsets.UTF_8)))
			.statusCode()).isEqualTo(401);
		assertThat(this.audit.find("ci-admin", null, "AUTHENTICATION_SUCCESS")).isNotEmpty();
		assertThat(this.audit.find("diag bearer token", null, "AUTHENTICATION_FAILURE")).isNotEmpty()
			.allSatisfy((event) -> assertThat(event.getData()).containsEntry("type",
					BadCredentialsException.class.getName()));
		assertThat(this.audit.find("reader", null, "AUTHENTICATION_SUCCESS")).isNotEmpty();
		assertThat(this.audit.find("reader", null, "AUTHENTICATION_FAILURE")).isNotEmpty();
	}

	private HttpResponse<String> call(String method, String path, String... headers) throws Exception {
		DiagClient client = new DiagClient(this.port);
		if ("POST".equals(method)) {
			String body = path.endsWith("/settings") ? "{\"cpuInterval\":\"10ms\",\"ttl\":\"1m\"}" : "{}";
			return client.post(path, body, headers);
		}
		return client.get(path, headers);
	}

}
