package dev.diagkit.webflux;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import dev.diagkit.endpoint.DiagSection;
import dev.diagkit.testing.DiagkitRecordings;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.actuate.audit.AuditEventRepository;
import org.springframework.boot.actuate.audit.InMemoryAuditEventRepository;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code /actuator/diag} on Spring WebFlux behind its reactive security chain, on a real
 * Netty server: who may call what, JSON errors instead of redirects, bearer tokens, a
 * capture downloaded with its file name and removed from disk, and a flood refused with
 * {@code Retry-After}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebFluxDiagEndpointTests {

	private static final String PASSWORD = "pw-for-tests";

	private static final String TOKEN = "diag-token-for-webflux-tests";

	private static ConfigurableApplicationContext context;

	private static int port;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@BeforeAll
	static void start() throws Exception {
		String hash = HexFormat.of()
			.formatHex(MessageDigest.getInstance("SHA-256").digest(TOKEN.getBytes(StandardCharsets.UTF_8)));
		SpringApplication application = new SpringApplication(DiagApplication.class);
		application.setWebApplicationType(WebApplicationType.REACTIVE);
		context = application.run("--server.port=0", "--spring.application.name=webflux-diag",
				"--management.endpoints.web.exposure.include=diag", "--diagkit.security.tokens[0].name=ci",
				"--diagkit.security.tokens[0].hash={sha256}" + hash, "--diagkit.security.tokens[0].roles=DIAG_ADMIN",
				"--diagkit.endpoint.requests-per-minute=600", "--diagkit.endpoint.burst=40");
		port = ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	@AfterAll
	static void stop() {
		if (context != null) {
			context.close();
		}
	}

	@Test
	@Order(1)
	void anonymousCallersAreAskedForCredentialsWithJsonNotARedirect() throws Exception {
		HttpResponse<String> response = send("GET", "/actuator/diag", null);
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().allValues("WWW-Authenticate")).contains("Basic realm=\"diag\"",
				"Bearer realm=\"diag\"");
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("application/json"));
		assertThat(response.body()).contains("\"status\":401").contains("HTTP Basic");
		assertThat(response.headers().firstValue("Set-Cookie")).isEmpty();
		assertThat(send("GET", "/actuator/diag", basic("reader", "wrong")).statusCode()).isEqualTo(401);
		assertThat(send("GET", "/actuator/diag", "Bearer not-the-token").statusCode()).isEqualTo(401);
	}

	@Test
	@Order(2)
	void readersReadTheIndexAndEverySectionAnswersWithoutFailing() throws Exception {
		HttpResponse<String> index = send("GET", "/actuator/diag", basic("reader", PASSWORD));
		assertThat(index.statusCode()).isEqualTo(200);
		for (DiagSection section : DiagSection.values()) {
			assertThat(index.body()).contains("\"section\":\"" + section.path() + "\"");
		}
		List<String> answered = new ArrayList<>();
		for (DiagSection section : DiagSection.values()) {
			if (!section.answers("GET") || section.needsAdmin("GET")) {
				continue;
			}
			HttpResponse<String> response = send("GET", "/actuator/diag/" + section.path(), basic("reader", PASSWORD));
			assertThat(response.statusCode()).as(section.path() + ": " + response.body()).isEqualTo(200);
			answered.add(section.path());
		}
		assertThat(answered).contains("stacks", "labels", "metrics", "settings", "capacity", "memory");
		HttpResponse<String> text = send("GET", "/actuator/diag/stacks?format=text", basic("reader", PASSWORD));
		assertThat(text.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("text/plain"));
		assertThat(text.body()).contains("reactor-http-");
	}

	@Test
	@Order(3)
	void mutationsAndCapturesNeedTheAdminRole() throws Exception {
		HttpResponse<String> refused = send("POST", "/actuator/diag/gc", basic("reader", PASSWORD));
		assertThat(refused.statusCode()).isEqualTo(403);
		assertThat(refused.body()).contains("DIAG_ADMIN").contains("reader");
		HttpResponse<String> stranger = send("GET", "/actuator/diag", basic("stranger", PASSWORD));
		assertThat(stranger.statusCode()).isEqualTo(403);
		assertThat(stranger.body()).contains("DIAG");
		HttpResponse<String> gc = send("POST", "/actuator/diag/gc", basic("admin", PASSWORD));
		assertThat(gc.statusCode()).as(gc.body()).isEqualTo(200);
		assertThat(gc.body()).contains("freed");
	}

	@Test
	@Order(4)
	void badParametersAreNamed() throws Exception {
		HttpResponse<String> seconds = send("GET", "/actuator/diag/trace?seconds=forever", basic("admin", PASSWORD));
		assertThat(seconds.statusCode()).isEqualTo(400);
		assertThat(seconds.body()).contains("'seconds'");
		HttpResponse<String> section = send("GET", "/actuator/diag/gc?section=stacks", basic("admin", PASSWORD));
		assertThat(section.statusCode()).isEqualTo(400);
		assertThat(section.body()).contains("'section' is given by the path only");
		HttpResponse<String> method = send("POST", "/actuator/diag/stacks", basic("admin", PASSWORD));
		assertThat(method.statusCode()).isEqualTo(405);
		assertThat(method.headers().firstValue("Allow")).hasValue("GET");
	}

	@Test
	@Order(5)
	void aTokenDownloadsAWholeTraceByNameAndNothingIsLeftOnDisk(@TempDir Path saved) throws Exception {
		List<Path> before = traceFiles();
		// a range would have the file read in parts, or not at all: the capture is sent whole
		HttpRequest request = HttpRequest.newBuilder(request("GET", "/actuator/diag/trace?seconds=1",
				"Bearer " + TOKEN, null), (name, value) -> true)
			.header("Range", "bytes=0-10,20-30")
			.build();
		HttpResponse<byte[]> response = this.http.send(request, HttpResponse.BodyHandlers.ofByteArray());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Disposition")).hasValueSatisfying(
				(disposition) -> assertThat(disposition).startsWith("attachment").contains(".jfr"));
		Path file = saved.resolve("trace.jfr");
		Files.write(file, response.body());
		List<RecordedEvent> events = RecordingFile.readAllEvents(file);
		assertThat(events).isNotEmpty();
		assertThat(traceFiles()).as("the capture's temporary file is gone").isEqualTo(before);
	}

	@Test
	@Order(6)
	void aClientThatLeavesMidCaptureStopsItAndFreesTheSlot() throws Exception {
		try (Socket socket = new Socket("127.0.0.1", port)) {
			OutputStream out = socket.getOutputStream();
			out.write(("GET /actuator/diag/trace?seconds=30 HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
					+ basic("admin", PASSWORD) + "\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			await().atMost(Duration.ofSeconds(10)).until(() -> DiagkitRecordings.running() == 1);
		}
		// a recording for nobody would run for 30 s
		await().atMost(Duration.ofSeconds(3)).until(() -> DiagkitRecordings.running() == 0);
		HttpResponse<String> next = send("GET", "/actuator/diag/trace?seconds=1", basic("admin", PASSWORD));
		assertThat(next.statusCode()).as("the slot is free again").isEqualTo(200);
		AuditEventRepository audit = context.getBean(AuditEventRepository.class);
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(audit.find("admin", null, "DIAG_TRACE")).anySatisfy(
					(event) -> assertThat(event.getData()).containsEntry("outcome", "aborted by client")));
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(audit.find("admin", null, "DIAG_TRACE"))
				.anySatisfy((event) -> assertThat(event.getData()).containsEntry("outcome", "ok 200")));
	}

	@Test
	@Order(7)
	void aFloodWithoutCredentialsIsRefusedBeforeAuthenticationWithRetryAfter() throws Exception {
		HttpResponse<String> last = null;
		for (int i = 0; i < 300 && (last == null || last.statusCode() != 429); i++) {
			last = send("GET", "/actuator/diag", null);
		}
		assertThat(last.statusCode()).isEqualTo(429);
		assertThat(last.headers().firstValue("Retry-After")).hasValueSatisfying(
				(seconds) -> assertThat(Long.parseLong(seconds)).isPositive());
		assertThat(last.body()).contains("\"status\":429");
	}

	private HttpResponse<String> send(String method, String path, String authorization) throws Exception {
		return this.http.send(request(method, path, authorization, null), HttpResponse.BodyHandlers.ofString());
	}

	private static HttpRequest request(String method, String path, String authorization, String body) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
			.timeout(Duration.ofSeconds(30))
			.method(method, (body != null) ? HttpRequest.BodyPublishers.ofString(body)
					: HttpRequest.BodyPublishers.noBody());
		if (authorization != null) {
			builder.header("Authorization", authorization);
		}
		return builder.build();
	}

	private static String basic(String user, String password) {
		return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
	}

	private static List<Path> traceFiles() throws IOException {
		try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
			return files.filter((f) -> f.getFileName().toString().startsWith("diagkit-trace-")).sorted().toList();
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class DiagApplication {

		@Bean
		InMemoryAuditEventRepository auditEvents() {
			return new InMemoryAuditEventRepository();
		}

		@Bean
		MapReactiveUserDetailsService users() {
			return new MapReactiveUserDetailsService(
					User.withUsername("reader").password("{noop}" + PASSWORD).roles("DIAG").build(),
					User.withUsername("admin").password("{noop}" + PASSWORD).roles("DIAG_ADMIN").build(),
					User.withUsername("stranger").password("{noop}" + PASSWORD).roles("USER").build());
		}

	}

}
