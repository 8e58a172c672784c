package dev.diagkit.endpoint;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import dev.diagkit.labels.LabelSet;
import dev.diagkit.labels.ProfilingLabels;
import dev.diagkit.trace.DiagTask;
import dev.diagkit.trace.DiagTrace;
import dev.diagkit.trace.TraceRecorder;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /actuator/diag/analysis} over real HTTP with real Spring Security: a capture for the
 * admin role that finds a contended monitor and who waits on it, as JSON and as text, and
 * leaves no recording or file behind.
 */
@SpringBootTest(classes = DiagTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=diag", "diagkit.endpoint.requests-per-minute=100000",
				"diagkit.endpoint.burst=100000" })
@DirtiesContext
class DiagAnalysisTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	private int port;

	@Autowired
	private TraceRecorder recorder;

	@Test
	@SuppressWarnings("unchecked")
	void findsTheLockThreadsQueueOnAndWhoWaits() throws Exception {
		List<Path> before = traceFiles();
		HttpResponse<String> response = whileContending(() -> new DiagClient(this.port)
			.get("/actuator/diag/analysis?seconds=2", DiagClient.basic("admin")));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("application/json"));
		Map<String, Object> report = json.readValue(response.body(), Map.class);
		assertThat(report).containsEntry("source", "capture").containsKeys("from", "to", "tasks", "methods", "events");
		List<Map<String, Object>> findings = (List<Map<String, Object>>) report.get("findings");
		Map<String, Object> lock = findings.stream()
			.filter((f) -> f.get("id").equals("lock-contention"))
			.findFirst()
			.orElseThrow(() -> new AssertionError(response.body()));
		assertThat((String) lock.get("summary")).contains("Counter", "tenant=acme, endpoint=POST /pay");
		assertThat((Map<String, Object>) lock.get("evidence")).containsEntry("lockClass", Counter.class.getName());
		assertThat((Map<String, Object>) report.get("tasks")).containsKey("POST /pay");
		assertThat(traceFiles()).as("temporary trace files left behind").isEqualTo(before);
		assertThat(this.recorder.running()).isZero();
	}

	@Test
	void answersInTextAndOnlyToTheAdminRole() throws Exception {
		DiagClient client = new DiagClient(this.port);
		HttpResponse<String> text = whileContending(
				() -> client.get("/actuator/diag/analysis?seconds=1&format=text", DiagClient.basic("admin")));
		assertThat(text.statusCode()).isEqualTo(200);
		assertThat(text.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("text/plain"));
		assertThat(text.body()).startsWith("Trace analysis ").contains("(lock-contention)", "What to do: ");
		HttpResponse<String> reader = client.get("/actuator/diag/analysis?seconds=1", DiagClient.basic("reader"));
		assertThat(reader.statusCode()).isEqualTo(403);
		HttpResponse<String> anonymous = client.get("/actuator/diag/analysis?seconds=1");
		assertThat(anonymous.statusCode()).isEqualTo(401);
		HttpResponse<String> html = client.get("/actuator/diag/analysis?seconds=1&format=html", DiagClient.basic("admin"));
		assertThat(html.statusCode()).isEqualTo(200);
		assertThat(html.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("text/html"));
		assertThat(html.body()).contains("<h1>Trace analysis</h1>", "Content-Security-Policy");
		HttpResponse<String> badFormat = client.get("/actuator/diag/analysis?seconds=1&format=pdf",
				DiagClient.basic("admin"));
		assertThat(badFormat.statusCode()).isEqualTo(400);
		assertThat(badFormat.body()).contains("format", "json", "text", "html");
	}

	/** Calls {@code call} while four threads of tenant acme queue on one monitor. */
	private static <T> T whileContending(java.util.concurrent.Callable<T> call) throws Exception {
		Counter counter = new Counter();
		AtomicBoolean running = new AtomicBoolean(true);
		List<Thread> threads = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			Thread thread = new Thread(() -> ProfilingLabels.run(LabelSet.of("tenant", "acme", "endpoint", "POST /pay"),
					() -> {
						while (running.get()) {
							try (DiagTask task = DiagTrace.task("POST /pay")) {
								counter.add();
							}
						}
					}), "payer-" + i);
			thread.start();
			threads.add(thread);
		}
		try {
			return call.call();
		}
		finally {
			running.set(false);
			for (Thread thread : threads) {
				thread.join();
			}
		}
	}

	private static List<Path> traceFiles() throws java.io.IOException {
		try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
			return files.filter((file) -> file.getFileName().toString().startsWith("diagkit-trace-")).sorted().toList();
		}
	}

	/** What the payers queue on. */
	static final class Counter {

		private long count;

		synchronized void add() {
			this.count++;
			try {
				Thread.sleep(5);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

	}

}
