package dev.diagkit.export;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.diagkit.export.PyroscopeIngestServer.Ingest;
import dev.diagkit.export.PyroscopeIngestServer.Reply;
import dev.diagkit.labels.LabelSet;
import dev.diagkit.profiling.GoPprof;
import dev.diagkit.profiling.PprofWriter;
import dev.diagkit.profiling.Profile;
import dev.diagkit.profiling.ProfileType;
import dev.diagkit.profiling.StackFrame;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Sends hand-built windows to a local stand-in for Pyroscope's ingest API that checks the
 * contract, and takes it down, slows it and makes it refuse windows.
 */
@ExtendWith(OutputCaptureExtension.class)
class PyroscopeSinkTests {

	private static final Instant START = Instant.parse("2025-03-01T12:00:00Z");

	private static final Duration WINDOW = Duration.ofSeconds(10);

	private static final StackFrame RUN = new StackFrame("java.lang.Thread", "run", "Thread.java", 840);

	private static final StackFrame HANDLE = new StackFrame("com.example.web.Handler", "handle", "Handler.java", 20);

	private static final StackFrame COMPUTE = new StackFrame("com.acme.Pricing", "compute", "Pricing.java", 42);

	private static final StackFrame SCAN = new StackFrame("com.globex.Search", "scan", "Search.java", 7);

	private static final SeriesLabels SERIES = new SeriesLabels("checkout", series());

	private static final Duration PATIENCE = Duration.ofSeconds(15);

	@TempDir
	Path dir;

	private PyroscopeIngestServer server;

	private final RecordingExportEvents events = new RecordingExportEvents();

	private final List<PyroscopeSink> sinks = new ArrayList<>();

	private final CountDownLatch release = new CountDownLatch(1);

	private static Map<String, String> series() {
		Map<String, String> labels = new LinkedHashMap<>();
		labels.put("env", "prod");
		labels.put("k8s.pod", "checkout-7f9c");
		labels.put("app-version", "1.4.2");
		labels.put("__meta", "hidden");
		labels.put("note", "a,b}c");
		labels.put(SeriesLabels.INSTANCE, "host-1");
		return labels;
	}

	@BeforeEach
	void startServer() throws IOException {
		this.server = PyroscopeIngestServer.start();
	}

	@AfterEach
	void closeEverything() throws InterruptedException {
		this.release.countDown();
		this.sinks.forEach(PyroscopeSink::close);
		this.server.close();
	}

	@Test
	void windowsArriveInOrderWithTheIngestParametersAndHeaders() {
		PyroscopeSink sink = sink(settings().withTenantId("acme-corp")
			.withBearerToken("s3cret")
			.withHeaders(Map.of("X-Team", "payments")));
		for (int i = 0; i < 5; i++) {
			sink.accept(window(i, ProfileType.CPU));
		}
		await().atMost(PATIENCE).until(() -> this.server.stored().size() == 5);
		assertThat(this.server.violations()).isEmpty();
		assertThat(this.server.storedFroms()).containsExactlyElementsOf(froms(0, 5));
		for (Ingest ingest : this.server.stored()) {
			assertThat(ingest.serviceName()).isEqualTo("checkout");
			assertThat(ingest.labels()).containsExactly(Map.entry("env", "prod"), Map.entry("k8s.pod", "checkout-7f9c"),
					Map.entry("app_version", "1.4.2"), Map.entry("note", "a_b_c"), Map.entry("instance", "host-1"));
			assertThat(ingest.until()).isEqualTo(ingest.from() + WINDOW.toSeconds());
			assertThat(ingest.sampleRate()).isEqualTo(100);
			assertThat(ingest.headers()).containsEntry("x-scope-orgid", "acme-corp")
				.containsEntry("authorization", "Bearer s3cret")
				.containsEntry("x-team", "payments");
			IngestedProfile profile = ingest.profile();
			assertThat(profile.sampleTypes()).containsExactly("samples/count", "cpu/nanoseconds");
			assertThat(profile.timeNanos()).isEqualTo(TimeUnit.SECONDS.toNanos(ingest.from()));
			assertThat(profile.durationNanos()).isEqualTo(WINDOW.toNanos());
			assertThat(profile.samples()).extracting(IngestedProfile.Sample::labels)
				.containsExactlyInAnyOrder(Map.of("tenant", "acme", "endpoint", "GET /price"),
						Map.of("tenant", "globex", "endpoint", "GET /search"));
		}
		assertThat(this.events.uploads("success")).isEqualTo(5);
		assertThat(this.events.uploads("retry")).isZero();
		assertThat(sink.pending()).isZero();
		assertThat(sink.spoolBytes()).isZero();
	}

	@Test
	void basicAuthenticationAndAnAllocationWindowThatGoReads() throws Exception {
		PyroscopeSink sink = sink(settings().withBasicAuthentication("grafana", "p@ss:word"));
		sink.accept(window(0, ProfileType.ALLOC));
		await().atMost(PATIENCE).until(() -> this.server.stored().size() == 1);
		assertThat(this.server.violations()).isEmpty();
		Ingest ingest = this.server.stored().get(0);
		assertThat(ingest.headers()).containsEntry("authorization", "Basic "
				+ Base64.getEncoder().encodeToString("grafana:p@ss:word".getBytes(StandardCharsets.UTF_8)));
		assertThat(ingest.headers()).doesNotContainKey("x-scope-orgid");
		assertThat(ingest.sampleRate()).as("an allocation profile has no sampling rate").isNull();
		assertThat(ingest.profile().sampleTypes()).containsExactly("alloc_objects/count", "alloc_space/bytes");
		Path file = Files.write(this.dir.resolve("ingested.pb.gz"), ingest.body());
		String tags = GoPprof.locate().run(file, "-tags");
		assertThat(tags).contains(" tenant: Total ", ": acme", ": globex", ": GET /price");
	}

	@Test
	void windowsWaitWhileTheServerIsDownAndArriveOnceInOrderWhenItIsBack() throws IOException {
		this.server.stop();
		PyroscopeSink sink = sink(settings().withQueueCapacity(3));
		for (int i = 0; i < 12; i++) {
			sink.accept(window(i, ProfileType.CPU));
		}
		await().atMost(PATIENCE).until(() -> this.events.uploads("retry") >= 3);
		assertThat(sink.pending()).isEqualTo(12);
		assertThat(sink.spoolBytes()).as("windows beyond the memory queue are spooled").isPositive();
		assertThat(windowFiles()).hasSize(9);
		this.server.restart();
		await().atMost(PATIENCE).until(() -> sink.pending() == 0);
		assertThat(this.server.storedFroms()).containsExactlyElementsOf(froms(0, 12));
		assertThat(this.server.received()).as("no window was sent twice").hasSize(12);
		assertThat(this.server.violations()).isEmpty();
		assertThat(this.events.uploads("success")).isEqualTo(12);
		assertThat(sink.spoolBytes()).isZero();
		assertThat(windowFiles()).isEmpty();
	}

	@Test
	void serverErrorsAndRateLimitsAreRetried() {
		this.server.respond((ingest, attempt) -> {
			if (attempt > 1) {
				return Reply.ok();
			}
			return (ingest.from() == from(0)) ? Reply.status(500, "ingester unavailable")
					: Reply.status(429, "rate limited");
		});
		PyroscopeSink sink = sink(settings());
		sink.accept(window(0, ProfileType.CPU));
		sink.accept(window(1, ProfileType.CPU));
		await().atMost(PATIENCE).until(() -> sink.pending() == 0);
		assertThat(this.server.storedFroms()).containsExactly(from(0), from(1));
		assertThat(this.server.received()).extracting(Ingest::from)
			.containsExactly(from(0), from(0), from(1), from(1));
		assertThat(this.events.uploads("retry")).isEqualTo(2);
		assertThat(this.events.uploads("success")).isEqualTo(2);
		assertThat(this.events.allDropped()).isEmpty();
	}

	@Test
	void aRefusedWindowIsNotRetriedAndTheNextFollows(CapturedOutput output) {
		this.server.respond((ingest, attempt) -> (ingest.from() == from(1))
				? Reply.status(400, "{\"code\":\"invalid_argument\",\"message\":\"profile is too old\"}") : Reply.ok());
		PyroscopeSink sink = sink(settings());
		for (int i = 0; i < 3; i++) {
			sink.accept(window(i, ProfileType.CPU));
		}
		await().atMost(PATIENCE).until(() -> sink.pending() == 0);
		assertThat(this.server.storedFroms()).containsExactly(from(0), from(2));
		assertThat(this.server.received()).filteredOn((ingest) -> ingest.from() == from(1)).hasSize(1);
		assertThat(this.events.uploads("rejected")).isEqualTo(1);
		assertThat(this.events.uploads("retry")).isZero();
		assertThat(this.events.dropped("rejected")).isEqualTo(1);
		assertThat(output).containsOnlyOnce("with status 400").containsOnlyOnce("profile is too old");
	}

	@Test
	void aServerSlowerThanTheTimeoutIsRetriedUntilItAnswersInTime() {
		this.server.respond((ingest, attempt) -> (attempt <= 2) ? Reply.late(Duration.ofMillis(1500)) : Reply.ok());
		PyroscopeSink sink = sink(settings().withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(300)));
		sink.accept(window(0, ProfileType.CPU));
		sink.accept(window(1, ProfileType.CPU));
		await().atMost(PATIENCE).until(() -> sink.pending() == 0);
		assertThat(this.server.storedFroms()).containsExactly(from(0), from(1));
		assertThat(this.server.received()).extracting(Ingest::from)
			.containsExactly(from(0), from(0), from(0), from(1), from(1), from(1));
		assertThat(this.events.uploads("retry")).isEqualTo(4);
		assertThat(this.events.uploads("success")).isEqualTo(2);
	}

	@Test
	void aFullSpoolDropsItsOldestWindowsAndNeverGrowsBeyondItsLimit() throws Exception {
		CountDownLatch firstArrived = new CountDownLatch(1);
		this.server.respond((ingest, attempt) -> {
			if (ingest.from() == from(0)) {
				firstArrived.countDown();
				this.release.await();
			}
			return Reply.ok();
		});
		long windowBytes = WindowSpool.encode(WindowUpload.of(window(0, ProfileType.CPU))).length;
		long limit = 3 * windowBytes + windowBytes / 2;
		PyroscopeSink sink = sink(settings().withQueueCapacity(0).withSpoolMaxBytes(limit));
		sink.accept(window(0, ProfileType.CPU));
		assertThat(firstArrived.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
		for (int i = 1; i < 10; i++) {
			sink.accept(window(i, ProfileType.CPU));
			assertThat(sink.spoolBytes()).isLessThanOrEqualTo(limit);
			assertThat(directoryBytes()).isLessThanOrEqualTo(limit);
		}
		// window 0 is being sent and stays; windows 8 and 9 fit beside it
		assertThat(this.events.dropped("spool-full")).isEqualTo(7);
		assertThat(sink.pending()).isEqualTo(3);
		this.release.countDown();
		await().atMost(PATIENCE).until(() -> sink.pending() == 0);
		assertThat(this.server.storedFroms()).containsExactly(from(0), from(8), from(9));
		assertThat(sink.spoolBytes()).isZero();
	}

	@Test
	void aWindowLargerThanTheWholeSpoolIsDropped() {
		this.server.stop();
		long windowBytes = WindowSpool.encode(WindowUpload.of(window(0, ProfileType.CPU))).length;
		PyroscopeSink sink = sink(settings().withQueueCapacity(0).withSpoolMaxBytes(windowBytes - 1));
		sink.accept(window(0, ProfileType.CPU));
		assertThat(this.events.dropped("spool-full")).isEqualTo(1);
		assertThat(sink.pending()).isZero();
		assertThat(sink.spoolBytes()).isZero();
	}

	@Test
	void flushWaitsUntilThePendingWindowsAreDelivered() {
		PyroscopeSink sink = sink(settings());
		for (int i = 0; i < 3; i++) {
			sink.accept(window(i, ProfileType.CPU));
		}
		sink.flush(PATIENCE);
		assertThat(this.server.storedFroms()).containsExactlyElementsOf(froms(0, 3));
		assertThat(sink.pending()).isZero();
	}

	@Test
	void aNewSinkOnTheSameSpoolDeliversWhatThePreviousOneLeftFirst() throws IOException {
		this.server.stop();
		PyroscopeSink first = sink(settings());
		for (int i = 0; i < 5; i++) {
			first.accept(window(i, ProfileType.CPU));
		}
		first.flush(Duration.ofMillis(200));
		assertThat(windowFiles()).as("flush wrote the windows held in memory to the spool").hasSize(5);
		first.close();
		assertThat(senderThreads()).isEmpty();
		Path interrupted = spoolDirectory().resolve("window-00000000000000000005.window.tmp");
		Files.write(interrupted, new byte[] { 1, 2, 3 });
		this.server.restart();
		PyroscopeSink second = sink(settings());
		second.accept(window(5, ProfileType.CPU));
		second.accept(window(6, ProfileType.CPU));
		await().atMost(PATIENCE).until(() -> second.pending() == 0);
		assertThat(this.server.storedFroms()).containsExactlyElementsOf(froms(0, 7));
		assertThat(this.server.violations()).isEmpty();
		assertThat(interrupted).doesNotExist();
		assertThat(windowFiles()).isEmpty();
	}

	@Test
	void anUnreadableSpoolFileIsDroppedAndTheOthersAreDelivered() throws IOException {
		this.server.stop();
		PyroscopeSink first = sink(settings().withQueueCapacity(0));
		first.accept(window(0, ProfileType.CPU));
		first.accept(window(1, ProfileType.CPU));
		first.close();
		List<Path> files = windowFiles();
		assertThat(files).hasSize(2);
		Files.write(files.get(0), "not a window".getBytes(StandardCharsets.UTF_8));
		this.server.restart();
		PyroscopeSink second = sink(settings());
		await().atMost(PATIENCE).until(() -> second.pending() == 0);
		assertThat(this.server.storedFroms()).containsExactly(from(1));
		assertThat(this.events.dropped("unreadable")).isEqualTo(1);
	}

	@Test
	void closeStopsTheSenderEvenInTheMiddleOfARequestAndKeepsTheWindow() throws Exception {
		CountDownLatch arrived = new CountDownLatch(1);
		this.server.respond((ingest, attempt) -> {
			arrived.countDown();
			this.release.await();
			return Reply.ok();
		});
		PyroscopeSink sink = sink(settings().withTimeouts(Duration.ofSeconds(1), Duration.ofMinutes(5)));
		sink.accept(window(0, ProfileType.CPU));
		assertThat(arrived.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
		assertThat(senderThreads()).hasSize(1);
		sink.close();
		assertThat(senderThreads()).isEmpty();
		assertThat(windowFiles()).as("the window cut short waits in the spool for the next run").hasSize(1);
		assertThat(this.server.stored()).isEmpty();
	}

	@Test
	void closeAfterDeliveryLeavesNoThreadAndNoFile() throws IOException {
		PyroscopeSink sink = sink(settings());
		sink.accept(window(0, ProfileType.CPU));
		sink.flush(PATIENCE);
		sink.close();
		assertThat(senderThreads()).isEmpty();
		assertThat(windowFiles()).isEmpty();
		assertThat(this.server.storedFroms()).containsExactly(from(0));
	}

	private PyroscopeSink.Settings settings() {
		return PyroscopeSink.Settings.of(this.server.url(), spoolDirectory())
			.withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(5))
			.withBackoff(Duration.ofMillis(10), Duration.ofMillis(100));
	}

	private PyroscopeSink sink(PyroscopeSink.Settings settings) {
		PyroscopeSink sink = new PyroscopeSink(settings, this.events);
		this.sinks.add(sink);
		return sink;
	}

	private Path spoolDirectory() {
		return this.dir.resolve("spool");
	}

	private List<Path> windowFiles() throws IOException {
		try (Stream<Path> files = Files.list(spoolDirectory())) {
			return files.filter((file) -> file.getFileName().toString().endsWith(".window")).sorted().toList();
		}
	}

	private long directoryBytes() throws IOException {
		try (Stream<Path> files = Files.list(spoolDirectory())) {
			return files.mapToLong((file) -> file.toFile().length()).sum();
		}
	}

	private static List<Thread> senderThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.getName().startsWith("diagkit-pyroscope") && thread.isAlive())
			.toList();
	}

	private static long from(int index) {
		return START.plus(WINDOW.multipliedBy(index)).getEpochSecond();
	}

	private static List<Long> froms(int fromIndex, int toIndex) {
		return LongStream.range(fromIndex, toIndex).map((i) -> from((int) i)).boxed().toList();
	}

	/**
	 * Window {@code index}: acme's 30 samples in {@code Pricing.compute} and globex's 10 in
	 * {@code Search.scan}, over ten seconds.
	 */
	private static ProfileWindow window(int index, ProfileType type) {
		Instant from = START.plus(WINDOW.multipliedBy(index));
		long period = (type == ProfileType.CPU) ? 10_000_000 : 1;
		long weight = (type == ProfileType.CPU) ? period : 512;
		Profile profile = Profile.builder(type, from, period)
			.add(List.of(COMPUTE, HANDLE, RUN), LabelSet.of("tenant", "acme", "endpoint", "GET /price"), 30,
					30 * weight)
			.add(List.of(SCAN, HANDLE, RUN), LabelSet.of("tenant", "globex", "endpoint", "GET /search"), 10,
					10 * weight)
			.build(WINDOW);
		return new ProfileWindow(index, type, from, from.plus(WINDOW), SERIES, profile, new PprofWriter().write(profile));
	}

}
