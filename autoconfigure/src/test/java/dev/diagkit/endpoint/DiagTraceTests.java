package dev.diagkit.endpoint;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.diagkit.trace.TraceRecorder;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The trace section records real JFR, which the JDK's own readers accept, leaves no file
 * behind, and lets one capture run at a time.
 */
@SpringBootTest(classes = DiagTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=diag", "diagkit.endpoint.requests-per-minute=100000",
				"diagkit.endpoint.burst=100000" })
@DirtiesContext
class DiagTraceTests {

	@LocalServerPort
	private int port;

	@Autowired
	private TraceRecorder recorder;

	@Autowired
	private DiagTestApplication.HelloController hello;

	@Test
	void traceIsAJfrFileThatTheJdkReadersAcceptAndNoTemporaryFileRemains() throws Exception {
		List<Path> before = traceFiles();
		// CPU work while recording, so that there are execution samples to find. The inner loop
		// is pure Java: with a clock read in every iteration, JDK 17's sampler kept 2 to 7
		// samples of 100 and sometimes none
		java.util.concurrent.atomic.AtomicBoolean burning = new java.util.concurrent.atomic.AtomicBoolean(true);
		java.util.concurrent.atomic.AtomicLong sink = new java.util.concurrent.atomic.AtomicLong();
		Thread burner = new Thread(() -> {
			long x = 0;
			while (burning.get()) {
				for (int i = 0; i < 10_000; i++) {
					x += Long.numberOfTrailingZeros(x + i);
				}
			}
			sink.set(x);
		}, "trace-test-burner");
		burner.start();
		HttpResponse<byte[]> response;
		try {
			response = new DiagClient(this.port).download("/actuator/diag/trace?seconds=2", DiagClient.basic("admin"));
		}
		finally {
			burning.set(false);
			burner.join();
		}
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
		assertThat(response.headers().firstValue("Content-Disposition").orElseThrow())
			.matches("attachment; filename=\"diag-\\d{8}-\\d{6}\\.jfr\"");
		Path jfr = Files.createTempFile("downloaded-", ".jfr");
		try {
			Files.write(jfr, response.body());
			List<String> types = new ArrayList<>();
			for (RecordedEvent event : RecordingFile.readAllEvents(jfr)) {
				types.add(event.getEventType().getName());
			}
			assertThat(types).contains("jdk.ExecutionSample")
				.doesNotContain("jdk.JVMInformation", "jdk.InitialEnvironmentVariable", "jdk.InitialSystemProperty");
			if (Runtime.version().feature() >= 19) {
				assertThat(types).as("redacted replacements").contains("dev.diagkit.JVMInformation",
						"dev.diagkit.SystemProperty");
			}
			Process summary = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jfr").toString(),
					"summary", jfr.toString())
				.redirectErrorStream(true)
				.start();
			String output = new String(summary.getInputStream().readAllBytes());
			assertThat(summary.waitFor(60, TimeUnit.SECONDS)).isTrue();
			assertThat(summary.exitValue()).as(output).isZero();
			assertThat(output).contains("jdk.ExecutionSample", "Start:");
		}
		finally {
			Files.deleteIfExists(jfr);
		}
		assertThat(traceFiles()).as("temporary trace files left behind").isEqualTo(before);
		assertThat(this.recorder.running()).isZero();
	}

	@Test
	void methodsAreTimedOnJava25AndRefusedWithTheJavaNeededBefore() throws Exception {
		String method = "dev.diagkit.endpoint.DiagTestApplication$HelloController::hello";
		DiagClient client = new DiagClient(this.port);
		if (Runtime.version().feature() < 25) {
			HttpResponse<String> refused = client.get("/actuator/diag/trace?seconds=1&methods=" + method,
					DiagClient.basic("admin"));
			assertThat(refused.statusCode()).isEqualTo(400);
			assertThat(refused.body()).contains("Java 25", "JEP 520", "Java " + Runtime.version().feature());
			return;
		}
		java.util.concurrent.atomic.AtomicBoolean calling = new java.util.concurrent.atomic.AtomicBoolean(true);
		java.util.concurrent.atomic.AtomicLong calls = new java.util.concurrent.atomic.AtomicLong();
		Thread caller = new Thread(() -> {
			while (calling.get()) {
				this.hello.hello();
				this.hello.work();
				calls.incrementAndGet();
			}
		}, "timed-caller");
		caller.start();
		HttpResponse<byte[]> response;
		try {
			response = client.download("/actuator/diag/trace?seconds=2&methods=" + method, DiagClient.basic("admin"));
		}
		finally {
			calling.set(false);
			caller.join();
		}
		assertThat(response.statusCode()).isEqualTo(200);
		Path jfr = Files.createTempFile("timed-", ".jfr");
		try {
			Files.write(jfr, response.body());
			List<RecordedEvent> events = RecordingFile.readAllEvents(jfr);
			List<RecordedEvent> traced = events.stream()
				.filter((e) -> e.getEventType().getName().equals("jdk.MethodTrace"))
				.toList();
			assertThat(traced).isNotEmpty().allSatisfy((e) -> {
				jdk.jfr.consumer.RecordedMethod timed = e.getValue("method");
				assertThat(timed.getType().getName() + "::" + timed.getName()).isEqualTo(method);
				assertThat(e.getThread().getJavaName()).isEqualTo("timed-caller");
			});
			assertThat((long) traced.size()).isLessThanOrEqualTo(calls.get());
			long timed = events.stream()
				.filter((e) -> e.getEventType().getName().equals("jdk.MethodTiming"))
				.filter((e) -> ((jdk.jfr.consumer.RecordedMethod) e.getValue("method")).getName().equals("hello"))
				.mapToLong((e) -> e.getLong("invocations"))
				.sum();
			// the totals and the last traces are written as the recording stops, while calls go on:
			// they differ by the few calls of those moments, either way
			assertThat(timed).isBetween(traced.size() * 98L / 100 - 1, traced.size() * 102L / 100 + 1);
		}
		finally {
			Files.deleteIfExists(jfr);
		}
	}

	@Test
	void methodsOutsideTheAllowedPackagesOrTooManyAreRefused() throws Exception {
		DiagClient client = new DiagClient(this.port);
		String[] admin = DiagClient.basic("admin");
		HttpResponse<String> jdk = client.get("/actuator/diag/trace?seconds=1&methods=java.lang.String::hashCode", admin);
		assertThat(jdk.statusCode()).isEqualTo(400);
		if (Runtime.version().feature() < 25) {
			assertThat(jdk.body()).contains("Java 25");
			return;
		}
		assertThat(jdk.body()).contains("java.lang.String", "dev.diagkit.endpoint",
				"diagkit.trace.method-timing.allowed-packages");
		HttpResponse<String> missing = client.get(
				"/actuator/diag/trace?seconds=1&methods=dev.diagkit.endpoint.DiagTestApplication::nothing", admin);
		assertThat(missing.statusCode()).isEqualTo(400);
		assertThat(missing.body()).contains("declares no method 'nothing'");
		StringBuilder many = new StringBuilder();
		for (String name : List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k")) {
			many.append(many.isEmpty() ? "" : ",").append("dev.diagkit.endpoint.DiagTestApplication$HelloController::")
				.append(name);
		}
		HttpResponse<String> tooMany = client.get("/actuator/diag/trace?seconds=1&methods=" + many, admin);
		assertThat(tooMany.statusCode()).isEqualTo(400);
		assertThat(tooMany.body()).contains("At most 10 methods", "diagkit.trace.method-timing.max-methods",
				"11 were named");
	}

	@Test
	void secondConcurrentTraceIsRefusedWith429AndRetryAfter() throws Exception {
		ExecutorService clients = Executors.newFixedThreadPool(2);
		try {
			CompletableFuture<HttpResponse<byte[]>> first = CompletableFuture.supplyAsync(
					() -> download("/actuator/diag/trace?seconds=3"), clients);
			// the second asks only once the first records: a fixed pause lost the race on a busy machine
			await().atMost(Duration.ofSeconds(15)).until(() -> this.recorder.running() > 0);
			HttpResponse<byte[]> second = download("/actuator/diag/trace?seconds=1");
			assertThat(second.statusCode()).isEqualTo(429);
			assertThat(second.headers().firstValue("Retry-After")).isPresent();
			assertThat(Long.parseLong(second.headers().firstValue("Retry-After").get())).isBetween(1L, 4L);
			assertThat(new String(second.body())).contains("max-concurrent-captures");
			assertThat(first.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
		}
		finally {
			clients.shutdownNow();
		}
		assertThat(download("/actuator/diag/trace?seconds=1").statusCode()).as("slot freed").isEqualTo(200);
	}

	private HttpResponse<byte[]> download(String path) {
		try {
			return new DiagClient(this.port).download(path, DiagClient.basic("admin"));
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static List<Path> traceFiles() throws IOException {
		try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
			return files.filter((f) -> f.getFileName().toString().startsWith("diagkit-trace-")).sorted().toList();
		}
	}

}
