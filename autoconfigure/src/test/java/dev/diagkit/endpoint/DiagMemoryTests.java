package dev.diagkit.endpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.actuate.audit.AuditEventRepository;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET|POST /actuator/diag/memory} over real HTTP with real Spring Security: the
 * adaptive heap target of this JVM's collector, reading a PSI file of the kernel's format
 * that holds low pressure, so the target moves only when an admin moves it.
 */
@SpringBootTest(classes = DiagTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=diag", "diagkit.memory.adaptive.enabled=true",
				"diagkit.memory.adaptive.period=200ms", "diagkit.endpoint.requests-per-minute=100000",
				"diagkit.endpoint.burst=100000" })
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DiagMemoryTests {

	private static final long MB = 1024 * 1024;

	private static final Path PSI = psi();

	@LocalServerPort
	private int port;

	@Autowired
	private AuditEventRepository audit;

	@DynamicPropertySource
	static void pressure(DynamicPropertyRegistry registry) {
		registry.add("diagkit.memory.adaptive.pressure-path", PSI::toString);
	}

	@AfterAll
	static void deletePsi() throws IOException {
		Files.deleteIfExists(PSI);
	}

	@Test
	@Order(1)
	void readersSeeTheModeTheLeverTheFiguresAndTheHistory() throws Exception {
		Map<String, Object> body = DiagClient.body(ok(client().get("/actuator/diag/memory", DiagClient.basic("reader"))));
		assertThat(body).containsKeys("mode", "collector", "lever", "period", "maxHeapBytes", "baseBytes", "floorBytes",
				"targetBytes", "heap", "pressure", "gcShare", "lastReason", "history");
		assertThat(body.get("mode")).isIn("adaptive", "observe-only");
		assertThat(body.get("period")).isEqualTo("200ms");
		long max = Runtime.getRuntime().maxMemory();
		assertThat(number(body, "maxHeapBytes")).isEqualTo(max);
		assertThat(number(body, "baseBytes")).isEqualTo(max);
		assertThat(number(body, "targetBytes")).isEqualTo(max);
		@SuppressWarnings("unchecked")
		Map<String, Object> pressure = (Map<String, Object>) body.get("pressure");
		assertThat(pressure.get("source").toString()).contains(PSI.toString());
		assertThat(pressure).containsEntry("high", 5.0).containsEntry("low", 1.0);
		@SuppressWarnings("unchecked")
		Map<String, Object> heap = (Map<String, Object>) body.get("heap");
		assertThat(((Number) heap.get("committedBytes")).longValue())
			.isEqualTo(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted());
	}

	@Test
	@Order(2)
	void readersMayNotMoveIt() throws Exception {
		HttpResponse<String> response = client().post("/actuator/diag/memory?action=pause", "{}",
				DiagClient.basic("reader"));
		assertThat(response.statusCode()).isEqualTo(403);
	}

	@Test
	@Order(3)
	void badInputGets400SayingWhatIsAccepted() throws Exception {
		Map<String, String> refused = Map.of("", "Give action (pause or resume), base",
				"?action=stop", "'action' must be one of", "?base=300", "'base' must be a size with a unit",
				"?base=lots", "'base' must be a size with a unit", "?base=1TB", "maximum heap",
				"?base=1MB", "'base' must be between the floor");
		for (Map.Entry<String, String> call : refused.entrySet()) {
			HttpResponse<String> response = client().post("/actuator/diag/memory" + call.getKey(), "{}",
					DiagClient.basic("admin"));
			assertThat(response.statusCode()).as(call.getKey()).isEqualTo(400);
			assertThat(DiagClient.body(response).get("message").toString()).as(call.getKey()).contains(call.getValue());
		}
		assertThat(number(DiagClient.body(client().get("/actuator/diag/memory", DiagClient.basic("reader"))),
				"baseBytes")).as("unchanged").isEqualTo(Runtime.getRuntime().maxMemory());
	}

	@Test
	@Order(4)
	void adminsSetTheBaseAndPauseAndResume() throws Exception {
		long max = Runtime.getRuntime().maxMemory();
		long base = ((max * 3) / 4) / MB;
		Map<String, Object> lowered = DiagClient.body(ok(client().post("/actuator/diag/memory",
				"{\"base\":\"" + base + "MB\"}", DiagClient.basic("admin"))));
		assertThat(number(lowered, "baseBytes")).isEqualTo(base * MB);
		assertThat(number(lowered, "targetBytes")).isEqualTo(base * MB);
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> history = (List<Map<String, Object>>) lowered.get("history");
		assertThat(history).last().satisfies((change) -> {
			assertThat(change).containsEntry("reason", "operator");
			assertThat(((Number) change.get("toBytes")).longValue()).isEqualTo(base * MB);
		});
		Map<String, Object> paused = DiagClient.body(ok(client().post("/actuator/diag/memory?action=pause", "{}",
				DiagClient.basic("admin"))));
		assertThat(paused).containsEntry("mode", "paused");
		Map<String, Object> resumed = DiagClient.body(ok(client().post("/actuator/diag/memory",
				"{\"action\":\"resume\",\"base\":\"max\"}", DiagClient.basic("admin"))));
		assertThat(resumed.get("mode")).isIn("adaptive", "observe-only");
		assertThat(number(resumed, "baseBytes")).isEqualTo(max);
		assertThat(this.audit.find("admin", null, "DIAG_MEMORY")).as("every POST is audited").hasSizeGreaterThanOrEqualTo(3);
	}

	private DiagClient client() {
		return new DiagClient(this.port);
	}

	private static HttpResponse<String> ok(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return response;
	}

	private static long number(Map<String, Object> body, String key) {
		return ((Number) body.get(key)).longValue();
	}

	private static Path psi() {
		try {
			Path file = Files.createTempFile("diag-memory-", ".pressure");
			Files.writeString(file, "some avg10=0.20 avg60=0.10 avg300=0.05 total=1200\n"
					+ "full avg10=0.00 avg60=0.00 avg300=0.00 total=300\n");
			return file;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
