package dev.diagkit.endpoint;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.diagkit.labels.LabelSet;
import dev.diagkit.labels.ProfilingLabels;
import dev.diagkit.profiling.GoPprof;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /actuator/diag/profile} over real HTTP: the pprof it answers is read by the real
 * {@code go tool pprof}, which splits it by the labels of the threads sampled.
 */
@SpringBootTest(classes = DiagTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=diag", "diagkit.endpoint.requests-per-minute=100000",
				"diagkit.endpoint.burst=100000", "diagkit.profiling.cpu-interval=10ms" })
@DirtiesContext
class DiagProfileTests {

	static volatile long sink;

	@LocalServerPort
	private int port;

	@Test
	void cpuProfileSplitsByTenantInGoToolPprofAndNamesRequestRoutes(@TempDir Path dir) throws Exception {
		GoPprof pprof = GoPprof.locate();
		AtomicBoolean running = new AtomicBoolean(true);
		Thread acme = burner("acme", running, true);
		Thread globex = burner("globex", running, false);
		Thread requests = new Thread(() -> {
			DiagClient client = new DiagClient(this.port);
			while (running.get()) {
				try {
					client.get("/work", DiagClient.basic("user"));
				}
				catch (Exception ex) {
					return;
				}
			}
		}, "profile-test-requests");
		requests.start();
		HttpResponse<byte[]> response;
		try {
			response = new DiagClient(this.port).download("/actuator/diag/profile?seconds=3&type=cpu&format=pprof",
					DiagClient.basic("admin"));
		}
		finally {
			running.set(false);
			acme.join(5000);
			globex.join(5000);
			requests.join(5000);
		}
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Disposition").orElseThrow())
			.matches("attachment; filename=\"profile-cpu-\\d{8}-\\d{6}\\.pb\\.gz\"");
		Path file = dir.resolve("profile.pb.gz");
		Files.write(file, response.body());
		String tags = pprof.run(file, "-tags");
		assertThat(tags).contains("tenant", "acme", "globex", "endpoint", "GET /work");
		String acmeTop = pprof.run(file, "-top", "-tagfocus=tenant=acme");
		assertThat(acmeTop).contains("burnForAcme").doesNotContain("burnForGlobex");
		String globexTop = pprof.run(file, "-top", "-tagfocus=tenant=globex");
		assertThat(globexTop).contains("burnForGlobex").doesNotContain("burnForAcme");
	}

	@Test
	void profileComesAsCollapsedStacksAndAsAFlameGraphPage() throws Exception {
		AtomicBoolean running = new AtomicBoolean(true);
		Thread acme = burner("acme", running, true);
		try {
			DiagClient client = new DiagClient(this.port);
			HttpResponse<String> collapsed = client.get("/actuator/diag/profile?seconds=3&format=collapsed&focus=tenant=acme",
					DiagClient.basic("admin"));
			assertThat(collapsed.statusCode()).isEqualTo(200);
			assertThat(collapsed.body()).contains("tenant=acme").contains("burnForAcme").doesNotContain("globex");
			assertThat(collapsed.headers().firstValue("Content-Disposition").orElseThrow())
				.matches("inline; filename=\"profile-cpu-\\d{8}-\\d{6}\\.collapsed\\.txt\"");
			HttpResponse<String> threads = client.get(
					"/actuator/diag/profile?seconds=2&format=collapsed&focus=tenant=acme&thread=true",
					DiagClient.basic("admin"));
			assertThat(threads.body()).contains("thread=profile-test-acme");
			HttpResponse<String> html = client.get("/actuator/diag/profile?seconds=2&format=html&focus=tenant=acme",
					DiagClient.basic("admin"));
			assertThat(html.statusCode()).isEqualTo(200);
			assertThat(html.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
			assertThat(html.headers().firstValue("Content-Disposition").orElseThrow())
				.matches("inline; filename=\"profile-cpu-\\d{8}-\\d{6}\\.html\"");
			// the page itself is rendered and checked in a browser by FlameGraphBrowserTests
			assertThat(html.body()).startsWith("<!DOCTYPE html>").contains("<h1>cpu profile</h1>")
				.contains("burnForAcme");
		}
		finally {
			running.set(false);
			acme.join(5000);
		}
	}

	@Test
	void rawJfrProfileIsAJfrFileAndLeavesNothingBehind() throws Exception {
		AtomicBoolean running = new AtomicBoolean(true);
		Thread acme = burner("acme", running, true);
		HttpResponse<byte[]> response;
		try {
			response = new DiagClient(this.port).download("/actuator/diag/profile?seconds=2&format=jfr",
					DiagClient.basic("admin"));
		}
		finally {
			running.set(false);
			acme.join(5000);
		}
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Disposition").orElseThrow()).endsWith(".jfr\"");
		Path file = Files.createTempFile("downloaded-profile-", ".jfr");
		try {
			Files.write(file, response.body());
			assertThat(jdk.jfr.consumer.RecordingFile.readAllEvents(file))
				.anyMatch((event) -> event.getEventType().getName().equals("jdk.ExecutionSample")
						|| event.getEventType().getName().equals("jdk.CPUTimeSample"));
		}
		finally {
			Files.deleteIfExists(file);
		}
		try (java.util.stream.Stream<Path> left = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
			assertThat(left.map((p) -> p.getFileName().toString())).noneMatch((n) -> n.startsWith("diagkit-profile-"));
		}
	}

	@Test
	void badProfileParametersGet400() throws Exception {
		DiagClient client = new DiagClient(this.port);
		String[][] cases = { { "/actuator/diag/profile?type=heap", "'type' must be one of cpu, alloc, lock" },
				{ "/actuator/diag/profile?format=svg", "'format' must be one of pprof, collapsed, html, jfr" },
				{ "/actuator/diag/profile?focus=acme", "'focus' must be key=value pairs" },
				{ "/actuator/diag/profile?format=jfr&focus=tenant=acme", "'focus' does not apply to format=jfr" },
				{ "/actuator/diag/profile?seconds=0", "'seconds' must be between 1 and 60, was 0" },
				{ "/actuator/diag/profile?thread=yes", "'thread' must be true or false" } };
		for (String[] c : cases) {
			HttpResponse<String> response = client.get(c[0], DiagClient.basic("admin"));
			assertThat(response.statusCode()).as(c[0]).isEqualTo(400);
			assertThat(DiagClient.body(response).get("message").toString()).as(c[0]).contains(c[1]);
		}
		assertThat(client.get("/actuator/diag/profile?seconds=1", DiagClient.basic("reader")).statusCode())
			.as("a capture needs the admin role")
			.isEqualTo(403);
	}

	private static Thread burner(String tenant, AtomicBoolean running, boolean acme) {
		Thread thread = new Thread(() -> ProfilingLabels.run(LabelSet.of("tenant", tenant), () -> {
			while (running.get()) {
				if (acme) {
					burnForAcme();
				}
				else {
					burnForGlobex();
				}
			}
		}), "profile-test-" + tenant);
		thread.start();
		return thread;
	}

	static void burnForAcme() {
		burn();
	}

	static void burnForGlobex() {
		burn();
	}

	/**
	 * Pure Java work: a loop that asks for its own CPU time would spend much of its time in
	 * native code once compiled, where jdk.ExecutionSample does not look.
	 */
	private static void burn() {
		long x = sink;
		for (int i = 0; i < 2_000_000; i++) {
			x += Long.numberOfTrailingZeros(x + i) ^ (x >>> 7);
		}
		sink = x;
	}

}
