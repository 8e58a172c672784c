package dev.diagkit.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import dev.diagkit.labels.LabelRegistry;
import dev.diagkit.labels.LabelSet;
import dev.diagkit.labels.ProfilingLabels;
import dev.diagkit.runtime.CgroupCpu;
import dev.diagkit.runtime.KernelFixtures;
import dev.diagkit.runtime.LatencyHistogram;
import dev.diagkit.runtime.NativeMemorySummary;
import dev.diagkit.runtime.ProcessCgroup;
import dev.diagkit.runtime.ProcessThreadTimes;
import dev.diagkit.runtime.QueueWaitRecorder;
import dev.diagkit.testing.ChildJvm;
import dev.diagkit.testing.Waiting;
import dev.diagkit.testing.Work;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jdk.jfr.FlightRecorder;
import jdk.jfr.RecordingState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * Every binder on a {@link SimpleMeterRegistry}: meters carry a description and a base unit,
 * figures move when the workload says they should, and missing kernel files leave meters out
 * (or NaN) instead of throwing.
 */
class MetricsBindersTests {

	static volatile Object sink;

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	@TempDir
	Path temp;

	@Test
	void threadCpuCountsApplicationCpuAndTheGcShare() {
		ProcessThreadTimes times = ProcessThreadTimes.forThisProcess();
		assumeThat(times.available()).as("per-thread schedstat (Linux)").isTrue();
		new ThreadCpuMetrics(times).bindTo(this.registry);
		times.refresh();
		double before = counter("diagkit.cpu.time", "class", "application");
		assertThat(Work.burnCpuTime(Duration.ofMillis(300))).isNotNegative();
		System.gc();
		times.refresh();
		assertThat(counter("diagkit.cpu.time", "class", "application") - before).isGreaterThan(0.2);
		assertThat(this.registry.find("diagkit.cpu.time").meters()).hasSize(4);
		assertThat(this.registry.find("diagkit.threads.run.queue.wait").meters()).hasSize(4);
		double share = this.registry.get("diagkit.cpu.gc.share").gauge().value();
		assertThat(share).isBetween(0.0, 1.0);
		assertDescribed();
	}

	@Test
	void processMemoryReadsEachCgroupLayout() {
		bindMemory("v2");
		assertThat(gauge("diagkit.cgroup.memory.limit")).isPositive();
		assertThat(gauge("diagkit.cgroup.memory.working.set")).isPositive()
			.isLessThanOrEqualTo(gauge("diagkit.cgroup.memory.usage"));
		assertThat(gauge("diagkit.process.memory.rss")).isPositive();
		for (String layout : List.of("v1", "hybrid", "v2-container")) {
			SimpleMeterRegistry other = new SimpleMeterRegistry();
			new ProcessMemoryMetrics(KernelFixtures.of(layout).resolve("proc"),
					KernelFixtures.of(layout).resolve("cgroup"), Tags.empty())
				.bindTo(other);
			assertThat(other.get("diagkit.cgroup.memory.usage").gauge().value()).as(layout).isPositive();
			assertThat(other.get("diagkit.process.memory.rss").gauge().value()).as(layout).isPositive();
		}
		assertDescribed();
	}

	@Test
	void metersKeepTheirValuesAfterGarbageCollections() {
		Path root = KernelFixtures.of("v2");
		// the binders are kept, as the application context keeps its beans; the state behind each
		// meter must not hang on a reference the registry holds weakly. Readings are not reused,
		// so every value below is read afresh through whatever the meter holds.
		List<MeterBinder> binders = List.of(
				new ProcessMemoryMetrics(root.resolve("proc"), root.resolve("cgroup"), Tags.empty(), Duration.ZERO),
				new PressureMetrics(root.resolve("proc"), root.resolve("cgroup"), Tags.empty(), Duration.ZERO));
		binders.forEach((binder) -> binder.bindTo(this.registry));
		WeakReference<Object> canary = new WeakReference<>(new Object());
		await().atMost(Duration.ofSeconds(30)).until(() -> {
			System.gc();
			return canary.get() == null;
		});
		assertThat(gauge("diagkit.process.memory.rss")).isPositive();
		assertThat(gauge("diagkit.cgroup.memory.limit")).isPositive();
		assertThat(this.registry.get("diagkit.pressure.stall")
			.tags("resource", "memory", "kind", "some", "window", "10s", "scope", "system")
			.gauge()
			.value()).isNotNaN();
		assertThat(this.registry.get("diagkit.pressure.stall.time")
			.tags("resource", "memory", "kind", "some", "scope", "system")
			.functionCounter()
			.count()).isPositive();
		Reference.reachabilityFence(binders);
	}

	@Test
	void processMemoryLeavesOutWhatIsMissingAndReadsNanWhenAFileGoes() throws IOException {
		Path root = KernelFixtures.copy("v2", this.temp.resolve("v2"));
		new ProcessMemoryMetrics(this.temp.resolve("nothing"), this.temp.resolve("nothing"), Tags.empty())
			.bindTo(this.registry);
		assertThat(this.registry.getMeters()).isEmpty();
		SimpleMeterRegistry other = new SimpleMeterRegistry();
		new ProcessMemoryMetrics(root.resolve("proc"), root.resolve("cgroup"), Tags.empty()).bindTo(other);
		try (var files = Files.walk(root.resolve("cgroup"))) {
			for (Path file : files.filter((f) -> f.getFileName().toString().equals("memory.current")).toList()) {
				Files.delete(file);
			}
		}
		Files.delete(root.resolve("proc/self/status"));
		await().atMost(Duration.ofSeconds(15))
			.until(() -> Double.isNaN(other.get("diagkit.cgroup.memory.usage").gauge().value()));
		assertThat(other.get("diagkit.process.memory.rss").gauge().value()).isNaN();
	}

	@Test
	void residentSetRisesWhenMemoryIsTouched() throws Exception {
		assumeThat(Path.of("/proc/self/status")).as("Linux /proc/self/status").exists();
		// in a child JVM with a fixed heap: here, collectors give heap back to the kernel at any time
		Properties results = ChildJvm.run(ResidentSetMain.class,
				List.of("-Xms64m", "-Xmx64m", "-XX:MaxDirectMemorySize=128m", "-XX:+UseSerialGC"));
		long before = Long.parseLong(results.getProperty("before"));
		long after = Long.parseLong(results.getProperty("after"));
		assertThat(after - before).as(results.toString()).isGreaterThan(48L * 1024 * 1024);
	}

	@Test
	void pressureHasSystemAndCgroupScopesAsRatios() {
		Path root = KernelFixtures.of("v2");
		new PressureMetrics(root.resolve("proc"), root.resolve("cgroup"), Tags.empty()).bindTo(this.registry);
		assertThat(this.registry.find("diagkit.pressure.stall").tag("scope", "system").gauges()).isNotEmpty();
		assertThat(this.registry.find("diagkit.pressure.stall").tag("scope", "cgroup").gauges()).isNotEmpty();
		Gauge some = this.registry.get("diagkit.pressure.stall")
			.tags("resource", "memory", "kind", "some", "window", "10s", "scope", "system")
			.gauge();
		assertThat(some.value()).isBetween(0.0, 1.0);
		assertThat(this.registry.get("diagkit.pressure.stall.time")
			.tags("resource", "memory", "kind", "some", "scope", "system")
			.functionCounter()
			.count()).isPositive();
		assertDescribed();
	}

	@Test
	void pressureRegistersNothingWithoutPsiFiles() {
		Path root = KernelFixtures.of("v1");
		assertThatNoException().isThrownBy(
				() -> new PressureMetrics(root.resolve("proc"), root.resolve("cgroup"), Tags.empty()).bindTo(this.registry));
		assertThat(this.registry.find("diagkit.pressure.stall").gauges()).isEmpty();
	}

	@Test
	void nativeMemoryHasOneMeterPairPerCategoryInBytes() throws IOException {
		NativeMemorySummary summary = NativeMemorySummary.parse(resource("/dev/diagkit/runtime/nmt-summary-jdk17.txt"));
		NativeMemoryMetrics metrics = new NativeMemoryMetrics(() -> summary, Tags.empty());
		metrics.bindTo(this.registry);
		NativeMemorySummary.Category heap = summary.category("Java Heap").orElseThrow();
		assertThat(this.registry.get("diagkit.native.memory.committed").tag("category", "Java Heap").gauge().value())
			.isEqualTo(heap.committedKb() * 1024.0);
		assertThat(this.registry.find("diagkit.native.memory.reserved").gauges()).hasSameSizeAs(summary.categories());
		assertDescribed();
	}

	@Test
	void nativeMemoryRegistersNothingWithoutTracking() {
		new NativeMemoryMetrics().bindTo(this.registry);
		assumeThat(NativeMemorySummary.take().enabled()).as("a JVM without Native Memory Tracking").isFalse();
		assertThat(this.registry.getMeters()).isEmpty();
	}

	@Test
	void queueWaitRisesWhenASingleThreadExecutorIsSaturated() throws Exception {
		QueueWaitRecorder waits = new QueueWaitRecorder();
		new ExecutorQueueWaits(waits, List.of(Duration.ofMillis(1), Duration.ofMillis(10), Duration.ofMillis(100)),
				Tags.empty())
			.bindTo(this.registry);
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			runTasks(executor, waits, 20, 0, 20);
			Timer idle = this.registry.get("diagkit.executor.queue.wait").tag("name", "single").timer();
			double idleMax = idle.max(TimeUnit.MILLISECONDS);
			LatencyHistogram.Counts calm = waits.snapshots().get("single");
			runTasks(executor, waits, 40, 5, 0);
			LatencyHistogram.Counts busy = waits.snapshots().get("single").since(calm);
			assertThat(busy.percentileSeconds(0.99)).isGreaterThan(0.05);
			// relative, not timed: a hand-off on a loaded two-core machine can take milliseconds,
			// while half the saturated tasks wait behind at least twenty 5 ms tasks
			assertThat(calm.percentileSeconds(0.99)).isLessThan(busy.percentileSeconds(0.5));
			assertThat(idle.count()).isEqualTo(60);
			assertThat(idle.max(TimeUnit.MILLISECONDS)).isGreaterThan(Math.max(50, idleMax));
			CountAtBucket[] buckets = idle.takeSnapshot().histogramCounts();
			assertThat(buckets).extracting((bucket) -> bucket.bucket(TimeUnit.MILLISECONDS))
				.containsExactly(1.0, 10.0, 100.0);
			assertDescribed();
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void safepointsAreTimedFromJfrAndTheStreamEndsOnClose() {
		try (SafepointMetrics metrics = new SafepointMetrics(Tags.empty())) {
			metrics.bindTo(this.registry);
			Timer safepoints = this.registry.get("diagkit.safepoint").timer();
			Timer sync = this.registry.get("diagkit.safepoint.sync").timer();
			await().atMost(Duration.ofSeconds(15)).until(() -> {
				System.gc();
				return safepoints.count() > 0 && sync.count() > 0;
			});
			assertThat(safepoints.totalTime(TimeUnit.NANOSECONDS)).isGreaterThanOrEqualTo(sync.max(TimeUnit.NANOSECONDS));
			assertDescribed();
		}
		assertThat(FlightRecorder.isInitialized() ? FlightRecorder.getFlightRecorder().getRecordings() : List.of())
			.allSatisfy((recording) -> assertThat(((jdk.jfr.Recording) recording).getState())
				.isIn(RecordingState.STOPPED, RecordingState.CLOSED));
	}

	@Test
	void gcPausesAreTimedToTheMicrosecondFromJfrAndExplicitCollectionsApart() {
		try (GcPauseMetrics metrics = new GcPauseMetrics(Tags.empty())) {
			metrics.bindTo(this.registry);
			Timer needed = this.registry.get("diagkit.gc.pause").tag("explicit", "false").timer();
			Timer explicit = this.registry.get("diagkit.gc.pause").tag("explicit", "true").timer();
			// young collections the heap needs (System.gc() in the same loop would empty eden before it fills)
			await().atMost(Duration.ofSeconds(30)).until(() -> {
				for (int i = 0; i < 2000; i++) {
					sink = new byte[64 * 1024];
				}
				return needed.count() > 0;
			});
			await().atMost(Duration.ofSeconds(30)).until(() -> {
				System.gc();
				return explicit.count() > 0;
			});
			// pauses in milliseconds would add up to whole milliseconds
			assertThat(needed.totalTime(TimeUnit.NANOSECONDS) % 1_000_000).isNotZero();
			assertThat(needed.takeSnapshot().histogramCounts())
				.extracting((bucket) -> bucket.bucket(TimeUnit.MICROSECONDS))
				.startsWith(100.0, 250.0, 500.0, 1000.0);
			assertDescribed();
		}
		assertThat(FlightRecorder.isInitialized() ? FlightRecorder.getFlightRecorder().getRecordings() : List.of())
			.allSatisfy((recording) -> assertThat(((jdk.jfr.Recording) recording).getState())
				.isIn(RecordingState.STOPPED, RecordingState.CLOSED));
	}

	@Test
	void virtualThreadSchedulerIsAbsentBeforeJdk24() {
		assumeThat(Runtime.version().feature()).as("a JDK before 24, which has no virtual-thread scheduler MXBean")
			.isLessThan(24);
		new VirtualThreadSchedulerMetrics().bindTo(this.registry);
		assertThat(this.registry.getMeters()).isEmpty();
	}

	@Test
	void labelActivityCountsThreadsPerLabelValue() throws Exception {
		try (LabelRegistry labels = new LabelRegistry(Duration.ofMinutes(1))) {
			LabelActivityMetrics metrics = new LabelActivityMetrics(labels, Set.of("tenant"), 2, "_other", Tags.empty());
			metrics.bindTo(this.registry);
			CountDownLatch started = new CountDownLatch(4);
			CountDownLatch release = new CountDownLatch(1);
			ExecutorService pool = Executors.newFixedThreadPool(4);
			for (String tenant : List.of("acme", "acme", "globex", "initech")) {
				pool.execute(() -> ProfilingLabels.run(LabelSet.of("tenant", tenant, "endpoint", "GET /x"), () -> {
					started.countDown();
					Waiting.parkUntilReleased(release);
				}));
			}
			assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
			metrics.refresh();
			assertThat(this.registry.get("diagkit.labels.active").tags("key", "tenant", "value", "acme").gauge().value())
				.isEqualTo(2.0);
			// two values at most: the busiest is kept, the others are counted together
			assertThat(this.registry.get("diagkit.labels.active").tags("key", "tenant", "value", "_other").gauge().value())
				.isEqualTo(2.0);
			assertThat(this.registry.find("diagkit.labels.active").tag("key", "tenant").gauges()).hasSize(2);
			assertThat(this.registry.find("diagkit.labels.active").tag("key", "endpoint").gauges()).isEmpty();
			release.countDown();
			pool.shutdown();
			assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
			metrics.refresh();
			assertThat(this.registry.find("diagkit.labels.active").tags("key", "tenant", "value", "acme").gauges())
				.isEmpty();
			assertDescribed();
		}
	}

	private void runTasks(ExecutorService executor, QueueWaitRecorder waits, int tasks, long taskMillis,
			long pauseMillis) throws InterruptedException {
		CountDownLatch done = new CountDownLatch(tasks);
		for (int i = 0; i < tasks; i++) {
			executor.execute(waits.wrap("single", () -> {
				Waiting.work(taskMillis);
				done.countDown();
			}));
			Waiting.work(pauseMillis);
		}
		assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void cgroupCpuQuotaAndThrottlingFromEachLayout() {
		CgroupCpuMetrics v2 = new CgroupCpuMetrics(CgroupCpu.of(ProcessCgroup.detect(
				KernelFixtures.of("v2").resolve("proc"), KernelFixtures.of("v2").resolve("cgroup"))), Tags.empty());
		v2.bindTo(this.registry);
		assertThat(this.registry.get("diagkit.cgroup.cpu.limit").gauge().value()).isEqualTo(1.5);
		// counted by the parent, whose quota (1.5) binds
		assertThat(this.registry.get("diagkit.cgroup.cpu.throttled").functionCounter().count()).isEqualTo(12.5);
		assertThat(this.registry.get("diagkit.cgroup.cpu.periods").functionCounter().count()).isEqualTo(4800);
		assertThat(this.registry.get("diagkit.cgroup.cpu.throttled.periods").functionCounter().count()).isEqualTo(960);
		assertDescribed();
		SimpleMeterRegistry v1Registry = new SimpleMeterRegistry();
		CgroupCpuMetrics v1 = new CgroupCpuMetrics(CgroupCpu.of(ProcessCgroup.detect(
				KernelFixtures.of("v1").resolve("proc"), KernelFixtures.of("v1").resolve("cgroup"))), Tags.empty());
		v1.bindTo(v1Registry);
		assertThat(v1Registry.get("diagkit.cgroup.cpu.throttled").functionCounter().count()).isEqualTo(12.5);
		SimpleMeterRegistry none = new SimpleMeterRegistry();
		new CgroupCpuMetrics(CgroupCpu.of(ProcessCgroup.detect(Path.of("/nonexistent/proc"),
				Path.of("/nonexistent/cgroup"))), Tags.empty()).bindTo(none);
		assertThat(none.getMeters()).isEmpty();
	}

	private void bindMemory(String layout) {
		MeterBinder binder = new ProcessMemoryMetrics(KernelFixtures.of(layout).resolve("proc"),
				KernelFixtures.of(layout).resolve("cgroup"), Tags.empty());
		binder.bindTo(this.registry);
	}

	private void assertDescribed() {
		for (Meter meter : this.registry.getMeters()) {
			if (meter.getId().syntheticAssociation() != null) {
				continue; // the histogram gauges Micrometer derives from a timer
			}
			assertThat(meter.getId().getDescription()).as(meter.getId().getName()).isNotBlank();
			assertThat(meter.getId().getBaseUnit()).as(meter.getId().getName()).isNotBlank();
			assertThat(meter.getId().getName()).startsWith("diagkit.");
		}
	}

	private double gauge(String name) {
		return this.registry.get(name).gauge().value();
	}

	private double counter(String name, String tag, String value) {
		FunctionCounter counter = this.registry.get(name).tag(tag, value).functionCounter();
		return counter.count();
	}

	private static String resource(String name) throws IOException {
		try (InputStream in = MetricsBindersTests.class.getResourceAsStream(name)) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

}
