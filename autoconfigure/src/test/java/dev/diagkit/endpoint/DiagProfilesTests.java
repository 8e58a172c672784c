package dev.diagkit.endpoint;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import dev.diagkit.export.LocalProfileStore;
import dev.diagkit.export.ProfileWindow;
import dev.diagkit.export.SeriesLabels;
import dev.diagkit.labels.LabelSet;
import dev.diagkit.profiling.GoPprof;
import dev.diagkit.profiling.PprofWriter;
import dev.diagkit.profiling.Profile;
import dev.diagkit.profiling.ProfileType;
import dev.diagkit.profiling.StackFrame;
import io.micrometer.core.instrument.MeterRegistry;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /actuator/diag/profiles} over real HTTP with Spring Security, on a store holding
 * windows of the last hour and of the same hour a day earlier, in which the tenants swapped
 * their CPU shares: the range merged, focused and compared is what {@code go tool pprof}
 * reads, and bad queries get a 400 that says what is accepted.
 */
@SpringBootTest(classes = DiagTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=diag", "diagkit.endpoint.requests-per-minute=100000",
				"diagkit.endpoint.burst=100000", "diagkit.profiling.continuous.enabled=true",
				"diagkit.profiling.continuous.period=1h" })
@DirtiesContext
class DiagProfilesTests {

	private static final String PRICING = "com.acme.Pricing.compute";

	private static final String BILLING = "com.globex.Billing.run";

	@TempDir
	static Path store;

	@DynamicPropertySource
	static void storeDirectory(DynamicPropertyRegistry registry) {
		registry.add("diagkit.profiling.export.directory.path", () -> store.toString());
	}

	@LocalServerPort
	private int port;

	@Autowired
	private LocalProfileStore profileStore;

	@Autowired
	private MeterRegistry meterRegistry;

	private DiagClient client;

	@BeforeEach
	void seed() {
		this.client = new DiagClient(this.port);
		if (!this.profileStore.list().isEmpty()) {
			return;
		}
		Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		for (int i = 1; i <= 4; i++) {
			Instant from = now.minus(Duration.ofMinutes(15L * i));
			// a day earlier the tenants' shares were the other way round
			this.profileStore.accept(window(i, from.minus(Duration.ofDays(1)), 20, 80));
			this.profileStore.accept(window(100 + i, from, 80, 20));
		}
	}

	@Test
	void listingShowsTheStoreAndTheProfilerToTheReadRole() throws Exception {
		HttpResponse<String> response = this.client.get("/actuator/diag/profiles", DiagClient.basic("reader"));
		assertThat(response.statusCode()).isEqualTo(200);
		Map<String, Object> body = DiagClient.body(response);
		assertThat(body.get("profiler")).asInstanceOf(InstanceOfAssertFactories.MAP)
			.containsEntry("enabled", true)
			.containsEntry("types", List.of("cpu"));
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> profiles = (List<Map<String, Object>>) body.get("profiles");
		Instant hourAgo = Instant.now().minus(Duration.ofMinutes(61));
		// the windows of a day ago may already be compacted; the last hour's are raw
		assertThat(profiles.stream().filter((entry) -> Instant.parse((String) entry.get("from")).isAfter(hourAgo)))
			.hasSize(4)
			.allSatisfy((entry) -> assertThat(entry).containsEntry("type", "cpu")
				.containsEntry("resolution", "raw")
				.containsEntry("samples", 100));
		assertThat(profiles.stream().mapToLong((entry) -> ((Number) entry.get("samples")).longValue()).sum())
			.isEqualTo(800);
		System.gc();
		assertThat(this.meterRegistry.get("diagkit.profiling.store.size").gauge().value())
			.isEqualTo(this.profileStore.sizeBytes())
			.isPositive();
	}

	@Test
	void focusedRangeIsReadByGoToolPprof(@TempDir Path dir) throws Exception {
		GoPprof pprof = GoPprof.locate();
		HttpResponse<byte[]> response = this.client.download("/actuator/diag/profiles/cpu?from=-1h&to=now"
				+ "&focus=tenant=acme", DiagClient.basic("reader"));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Disposition").orElseThrow())
			.matches("attachment; filename=\"profiles-cpu-\\d{8}-\\d{6}\\.pb\\.gz\"");
		Path file = dir.resolve("acme.pb.gz");
		Files.write(file, response.body());
		assertThat(pprof.run(file, "-tags")).contains("tenant", "acme").doesNotContain("globex");
		assertThat(pprof.run(file, "-top")).contains(PRICING).doesNotContain(BILLING);
	}

	@Test
	void pprofComparisonNamesItsBaseForDiffBase(@TempDir Path dir) throws Exception {
		GoPprof pprof = GoPprof.locate();
		HttpResponse<byte[]> now = this.client.download("/actuator/diag/profiles/cpu?from=-1h&compare=24h",
				DiagClient.basic("reader"));
		assertThat(now.statusCode()).isEqualTo(200);
		String link = now.headers().firstValue("Link").orElseThrow();
		assertThat(link).matches("<http://.*/actuator/diag/profiles/cpu\\?.*>; rel=\"base\"");
		URI base = URI.create(link.substring(1, link.indexOf('>')));
		assertThat(base.getQuery()).doesNotContain("compare").contains("from=20", "to=20");
		HttpResponse<byte[]> earlier = this.client.download(base.getRawPath() + "?" + base.getRawQuery(),
				DiagClient.basic("reader"));
		assertThat(earlier.statusCode()).isEqualTo(200);
		Path nowFile = dir.resolve("now.pb.gz");
		Path baseFile = dir.resolve("base.pb.gz");
		Files.write(nowFile, now.body());
		Files.write(baseFile, earlier.body());
		String diff = pprof.run(nowFile, "-top", "-diff_base", baseFile.toString());
		// in each of 4 windows acme went from 20 to 80 samples and globex the other way: 240 of 10 ms
		assertThat(diff).containsPattern(" 2\\.40s.*" + PRICING.replace(".", "\\."))
			.containsPattern("-2\\.40s.*" + BILLING.replace(".", "\\."));
	}

	@Test
	void htmlComparisonIsADifferentialFlameGraphAndJsonRanksFunctionsPerTenant() throws Exception {
		HttpResponse<String> html = this.client.get("/actuator/diag/profiles/cpu?from=-1h&compare=1d&format=html",
				DiagClient.basic("reader"));
		assertThat(html.statusCode()).isEqualTo(200);
		assertThat(html.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
		assertThat(html.body()).contains("\"baseSamples\"", "Compared with", PRICING);
		HttpResponse<String> json = this.client.get("/actuator/diag/profiles/cpu?from=-1h&format=json&compare=24h",
				DiagClient.basic("reader"));
		assertThat(json.statusCode()).isEqualTo(200);
		Map<String, Object> body = DiagClient.body(json);
		assertThat(body).containsKeys("coveredFrom", "coveredUntil", "files", "top", "base");
		assertThat(body.get("files")).isEqualTo(4);
		@SuppressWarnings("unchecked")
		Map<String, Object> top = (Map<String, Object>) body.get("top");
		@SuppressWarnings("unchecked")
		Map<String, Map<String, Map<String, Object>>> byLabel = (Map<String, Map<String, Map<String, Object>>>) top
			.get("byLabel");
		Map<String, Object> acme = byLabel.get("tenant").get("acme");
		assertThat(acme.get("total")).isEqualTo(320 * 10_000_000L);
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> bySelf = (List<Map<String, Object>>) acme.get("bySelf");
		assertThat(bySelf.get(0)).containsEntry("function", PRICING).containsEntry("selfShare", 1.0);
		@SuppressWarnings("unchecked")
		Map<String, Object> overall = (Map<String, Object>) top.get("overall");
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> byTotal = (List<Map<String, Object>>) overall.get("byTotal");
		assertThat(byTotal.get(0)).containsEntry("function", "java.lang.Thread.run").containsEntry("totalShare", 1.0);
	}

	@Test
	void badQueriesSayWhatIsAccepted() throws Exception {
		assertBadRequest("/actuator/diag/profiles/heap", "No profile type 'heap'; the types are cpu, alloc, lock, live");
		assertBadRequest("/actuator/diag/profiles/cpu?from=yesterday", "'from' must be an ISO-8601 instant");
		assertBadRequest("/actuator/diag/profiles/cpu?from=-8d", "longer than the 7 days a call may merge");
		assertBadRequest("/actuator/diag/profiles/cpu?from=now&to=-1h", "must be before 'to'");
		assertBadRequest("/actuator/diag/profiles/cpu?compare=24h&format=collapsed", "'compare' works with");
		assertBadRequest("/actuator/diag/profiles/cpu?format=svg", "'format'");
		assertThat(this.client.get("/actuator/diag/profiles/cpu").statusCode()).isEqualTo(401);
		assertThat(this.client.get("/actuator/diag/profiles/cpu", DiagClient.basic("user")).statusCode())
			.isEqualTo(403);
		assertThat(this.client.get("/actuator/diag/profiles/cpu/more", DiagClient.basic("admin")).statusCode())
			.isEqualTo(404);
	}

	private void assertBadRequest(String path, String message) throws Exception {
		HttpResponse<String> response = this.client.get(path, DiagClient.basic("reader"));
		assertThat(response.statusCode()).as(path).isEqualTo(400);
		assertThat(DiagClient.body(response).get("message")).asString().as(path).contains(message);
	}

	private static ProfileWindow window(long sequence, Instant from, int acme, int globex) {
		Profile profile = Profile.builder(ProfileType.CPU, from, 10_000_000L)
			.add(stack(PRICING), LabelSet.of("tenant", "acme"), acme, acme * 10_000_000L)
			.add(stack(BILLING), LabelSet.of("tenant", "globex"), globex, globex * 10_000_000L)
			.build(Duration.ofMinutes(15));
		return new ProfileWindow(sequence, ProfileType.CPU, from, from.plus(Duration.ofMinutes(15)),
				new SeriesLabels("test", Map.of()), profile, new PprofWriter().write(profile));
	}

	private static List<StackFrame> stack(String leaf) {
		int dot = leaf.lastIndexOf('.');
		return List.of(new StackFrame(leaf.substring(0, dot), leaf.substring(dot + 1), null, 0),
				new StackFrame("java.lang.Thread", "run", "Thread.java", 0));
	}

}
