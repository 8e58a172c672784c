package dev.diagkit.tracing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.diagkit.export.IngestedProfile;
import dev.diagkit.export.PyroscopeIngestServer;
import dev.diagkit.profiling.GoPprof;
import dev.diagkit.testing.Work;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A slow span leads to its CPU profile: with each Micrometer Tracing bridge, a request that
 * burns 400 ms of CPU among many short ones is found in the continuous profile by its
 * {@code span_id}: in the pprof uploaded to Pyroscope (read by {@code go tool pprof
 * -tagfocus}) and in the local store ({@code /actuator/diag/profiles/cpu?focus=span_id=…}).
 */
class SpanProfileLinksTests {

	private static final Logger logger = LoggerFactory.getLogger(SpanProfileLinksTests.class);

	private static final long SLOW_MILLIS = 400;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@TempDir
	Path dir;

	@ParameterizedTest
	@EnumSource(TracedApplication.Bridge.class)
	void theCpuOfOneSlowSpanIsSelectedByItsId(TracedApplication.Bridge bridge) throws Exception {
		GoPprof pprof = GoPprof.locate();
		try (PyroscopeIngestServer pyroscope = PyroscopeIngestServer.start()) {
			ConfigurableApplicationContext context = new SpringApplication(TracedApplication.class).run(
					"--server.port=0", "--spring.application.name=traced", bridge.only(),
					"--management.tracing.sampling.probability=1.0",
					"--management.endpoints.web.exposure.include=diag", "--diagkit.endpoint.requests-per-minute=10000",
					"--diagkit.endpoint.burst=10000", "--diagkit.profiling.continuous.enabled=true",
					"--diagkit.profiling.continuous.period=5s",
					"--diagkit.profiling.export.pyroscope.url=" + pyroscope.url(),
					"--diagkit.profiling.export.pyroscope.spool.directory=" + this.dir.resolve("spool"),
					"--diagkit.profiling.export.directory.enabled=true",
					"--diagkit.profiling.export.directory.path=" + this.dir.resolve("store"));
			AtomicBoolean running = new AtomicBoolean(true);
			Thread others = null;
			try {
				int port = ((WebServerApplicationContext) context).getWebServer().getPort();
				others = Work.loop("other-spans", running, () -> get(port, "/burn/15", null));
				Thread.sleep(1000);
				String traceId = HexFormat.of().formatHex(randomBytes(16));
				String[] slow = get(port, "/burn/" + SLOW_MILLIS, traceId).split(" ", 3);
				assertThat(slow[0]).as("the server joined the caller's trace").isEqualTo(traceId);
				String spanId = slow[1];
				assertThat(slow[2]).as("the request's own labels").contains("span_id=" + spanId);
				Thread.sleep(1000);
				running.set(false);
				others.join(10_000);

				// what Pyroscope receives
				await().atMost(Duration.ofSeconds(30))
					.until(() -> cpuOf(pyroscope.stored(), spanId) >= SLOW_MILLIS / 2 * 1_000_000);
				long uploaded = cpuOf(pyroscope.stored(), spanId);
				logger.info("{}: the slow span's CPU in the uploads is {} ms of {} ms burnt", bridge, uploaded / 1_000_000,
						SLOW_MILLIS);
				assertThat(uploaded).as("CPU of the slow span in the uploads, ns")
					.isBetween(SLOW_MILLIS * 1_000_000 / 2, SLOW_MILLIS * 1_000_000 * 2);
				assertThat(pyroscope.violations()).isEmpty();
				List<IngestedProfile.Sample> spanSamples = pyroscope.stored()
					.stream()
					.flatMap((ingest) -> ingest.profile().samples().stream())
					.filter((sample) -> spanId.equals(sample.labels().get("span_id")))
					.toList();
				assertThat(spanSamples).allSatisfy((sample) -> {
					assertThat(sample.labels()).containsEntry("trace_id", traceId);
					assertThat(sample.labels().get("span_name")).as("the local root's name").isNotBlank();
				});
				PyroscopeIngestServer.Ingest upload = pyroscope.stored()
					.stream()
					.filter((ingest) -> ingest.profile()
						.samples()
						.stream()
						.anyMatch((sample) -> spanId.equals(sample.labels().get("span_id"))))
					.findFirst()
					.orElseThrow();
				Path uploadFile = this.dir.resolve("upload.pb.gz");
				Files.write(uploadFile, upload.body());
				String uploadTags = pprof.run(uploadFile, "-tagfocus=span_id=" + spanId, "-tags");
				assertThat(uploadTags).contains("span_id", spanId, "trace_id", traceId);
				assertThat(spanIdsIn(uploadTags)).containsOnly(spanId);
				assertThat(pprof.run(uploadFile, "-tagfocus=span_id=" + spanId, "-top")).contains("Work.burnCpuTime");

				// what the local store answers
				HttpResponse<byte[]> stored = download(port,
						"/actuator/diag/profiles/cpu?from=-5m&to=now&focus=span_id=" + spanId);
				assertThat(stored.statusCode()).as(new String(stored.body(), StandardCharsets.UTF_8)).isEqualTo(200);
				Path storedFile = this.dir.resolve("stored.pb.gz");
				Files.write(storedFile, stored.body());
				String storedTags = pprof.run(storedFile, "-tags");
				assertThat(spanIdsIn(storedTags)).containsOnly(spanId);
				assertThat(storedTags).contains("trace_id", traceId);
				assertThat(pprof.run(storedFile, "-top")).contains("Work.burnCpuTime");
			}
			finally {
				running.set(false);
				if (others != null) {
					others.join(10_000);
				}
				context.close();
			}
		}
	}

	/** The span ids that {@code go tool pprof -tags} lists. */
	private static List<String> spanIdsIn(String tags) {
		String section = tags.substring(tags.indexOf("span_id:"));
		int end = section.indexOf("\n\n");
		section = (end > 0) ? section.substring(0, end) : section;
		return section.lines()
			.skip(1)
			.map(String::strip)
			.filter((line) -> !line.isEmpty())
			.map((line) -> line.substring(line.lastIndexOf(' ') + 1))
			.toList();
	}

	private static long cpuOf(List<PyroscopeIngestServer.Ingest> ingests, String spanId) {
		return ingests.stream()
			.flatMap((ingest) -> ingest.profile().samples().stream())
			.filter((sample) -> spanId.equals(sample.labels().get("span_id")))
			.mapToLong((sample) -> sample.values().get(sample.values().size() - 1))
			.sum();
	}

	private String get(int port, String path, String traceId) {
		try {
			HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
				.header("Authorization", basic())
				.timeout(Duration.ofSeconds(60));
			if (traceId != null) {
				request.header("traceparent", "00-" + traceId + "-" + HexFormat.of().formatHex(randomBytes(8)) + "-01");
			}
			HttpResponse<String> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).as(path).isEqualTo(200);
			return response.body();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private HttpResponse<byte[]> download(int port, String path) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
			.header("Authorization", basic())
			.timeout(Duration.ofSeconds(60))
			.build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofByteArray());
	}

	private static String basic() {
		return "Basic " + Base64.getEncoder()
			.encodeToString(("reader:" + TracedApplication.PASSWORD).getBytes(StandardCharsets.UTF_8));
	}

	private static byte[] randomBytes(int n) {
		byte[] bytes = new byte[n];
		ThreadLocalRandom.current().nextBytes(bytes);
		return bytes;
	}

}
