package dev.diagkit.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.diagkit.autoconfigure.DiagkitCapacityProperties;
import dev.diagkit.capacity.CapacitySampler;
import dev.diagkit.labels.LabelRegistry;
import dev.diagkit.labels.LabelSet;
import dev.diagkit.labels.ProfilingLabels;
import dev.diagkit.metrics.ExecutorQueueWaits;
import dev.diagkit.metrics.LabelActivityMetrics;
import dev.diagkit.metrics.NativeMemoryMetrics;
import dev.diagkit.metrics.PressureMetrics;
import dev.diagkit.metrics.ProcessMemoryMetrics;
import dev.diagkit.metrics.SafepointMetrics;
import dev.diagkit.metrics.ThreadCpuMetrics;
import dev.diagkit.metrics.VirtualThreadSchedulerMetrics;
import dev.diagkit.runtime.ProcessCgroup;
import dev.diagkit.runtime.ProcessThreadTimes;
import dev.diagkit.runtime.QueueWaitRecorder;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of one Prometheus scrape of diagkit's meters against a scrape of the JVM meters
 * Spring Boot registers by default (the baseline of the same run), and of the background work
 * behind the meters: a per-thread CPU scan, a label-activity count and a capacity sample. The
 * JVM runs {@code extraThreads} parked threads besides its own, as an application has pools;
 * ten of them carry tenant labels, and three executors have recorded queue waits.
 * {@code scrapeDiagkitMetersWithReadingsExpired} is a real scrape, which finds the readings
 * of kernel files expired and reads each file once; {@code scrapeDiagkitMetersReadingEveryFile}
 * reads every file for every meter that needs it, the upper bound.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
@State(Scope.Benchmark)
public class MetricsScrapeBenchmark {

	@Param("40")
	private int extraThreads;

	private final CountDownLatch release = new CountDownLatch(1);

	private final List<Thread> threads = new ArrayList<>();

	private final List<AutoCloseable> closeables = new ArrayList<>();

	private PrometheusMeterRegistry jvmOnly;

	private PrometheusMeterRegistry diagkitOnly;

	private PrometheusMeterRegistry diagkitReadingEveryFile;

	private ExecutorQueueWaits waits;

	private SafepointMetrics safepoints;

	private ProcessThreadTimes threadTimes;

	private LabelActivityMetrics labelActivity;

	private CapacitySampler capacity;

	@Setup
	public void setUp() throws Exception {
		CountDownLatch started = new CountDownLatch(this.extraThreads);
		for (int i = 0; i < this.extraThreads; i++) {
			LabelSet labels = (i < 10) ? LabelSet.of("tenant", "tenant-" + (i % 5), "endpoint", "GET /orders/{id}")
					: LabelSet.empty();
			Thread thread = new Thread(() -> ProfilingLabels.run(labels, () -> {
				started.countDown();
				awaitQuietly(this.release);
			}), "pool-" + i);
			thread.setDaemon(true);
			thread.start();
			this.threads.add(thread);
		}
		started.await();
		this.jvmOnly = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
		JvmGcMetrics gc = new JvmGcMetrics();
		this.closeables.add(gc);
		for (MeterBinder binder : List.of(new ClassLoaderMetrics(), new JvmMemoryMetrics(), gc,
				new JvmThreadMetrics(), new ProcessorMetrics(), new UptimeMetrics())) {
			binder.bindTo(this.jvmOnly);
		}
		this.diagkitOnly = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
		this.threadTimes = ProcessThreadTimes.forThisProcess();
		QueueWaitRecorder queueWaits = new QueueWaitRecorder();
		ExecutorQueueWaits waits = new ExecutorQueueWaits(queueWaits, List.of(Duration.ofNanos(100_000), Duration.ofNanos(500_000),
				Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(50),
				Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(1)), Tags.empty());
		LabelRegistry labels = new LabelRegistry(Duration.ofMinutes(10));
		this.closeables.add(labels);
		this.labelActivity = new LabelActivityMetrics(labels, Set.of("tenant", "endpoint", "job"), 200, "_other",
				Tags.empty());
		SafepointMetrics safepoints = new SafepointMetrics(Tags.empty());
		this.closeables.add(safepoints);
		for (MeterBinder binder : List.of(new ThreadCpuMetrics(this.threadTimes), new ProcessMemoryMetrics(),
				new PressureMetrics(), new NativeMemoryMetrics(), waits, safepoints,
				new VirtualThreadSchedulerMetrics(), this.labelActivity)) {
			binder.bindTo(this.diagkitOnly);
		}
		this.waits = waits;
		this.safepoints = safepoints;
		// the same meters, but each kernel file is read for every meter that needs it
		this.diagkitReadingEveryFile = diagkitRegistry(Duration.ZERO);
		for (String executor : List.of("applicationTaskExecutor", "reportsTaskExecutor", "mailTaskExecutor")) {
			for (int i = 0; i < 100; i++) {
				queueWaits.wrap(executor, () -> {
				}).run();
			}
		}
		this.threadTimes.refresh();
		this.capacity = new CapacitySampler(new DiagkitCapacityProperties().toSettings(), this.threadTimes, queueWaits);
		this.closeables.add(this.capacity);
	}

	PrometheusMeterRegistry diagkitRegistry(Duration readingMaxAge) {
		PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
		for (MeterBinder binder : List.of(new ThreadCpuMetrics(this.threadTimes),
				new ProcessMemoryMetrics(ProcessCgroup.PROC_ROOT, ProcessCgroup.CGROUP_ROOT, Tags.empty(),
						readingMaxAge),
				new PressureMetrics(ProcessCgroup.PROC_ROOT, ProcessCgroup.CGROUP_ROOT, Tags.empty(), readingMaxAge),
				new NativeMemoryMetrics(), this.waits, this.safepoints, new VirtualThreadSchedulerMetrics(),
				this.labelActivity)) {
			binder.bindTo(registry);
		}
		return registry;
	}

	@TearDown
	public void tearDown() throws Exception {
		this.release.countDown();
		for (AutoCloseable closeable : this.closeables) {
			closeable.close();
		}
		for (Thread thread : this.threads) {
			thread.join(1000);
		}
	}

	/**
	 * A scrape as Prometheus makes it every 15 s or so: every reading has expired, and each
	 * kernel file is read once. Readings are kept 5 ms here, and each scrape waits 6 ms first.
	 */
	@Benchmark
	public String scrapeDiagkitMetersWithReadingsExpired(ExpiredReadings expired) {
		return expired.registry.scrape();
	}

	/**
	 * The baseline under the same conditions: a 6 ms pause before each scrape.
	 */
	@Benchmark
	public String scrapeJvmMetersAfterAPause(Pause pause) {
		return this.jvmOnly.scrape();
	}

	@Benchmark
	public String scrapeJvmMetersOnly() {
		return this.jvmOnly.scrape();
	}

	@Benchmark
	public String scrapeDiagkitMetersOnly() {
		return this.diagkitOnly.scrape();
	}

	@Benchmark
	public String scrapeDiagkitMetersReadingEveryFile() {
		return this.diagkitReadingEveryFile.scrape();
	}

	@Benchmark
	public ProcessThreadTimes.Snapshot perThreadCpuScan() {
		return this.threadTimes.refresh();
	}

	@Benchmark
	public LabelActivityMetrics labelActivityCount() {
		this.labelActivity.refresh();
		return this.labelActivity;
	}

	@Benchmark
	public LabelActivityMetrics labelBusySample() {
		this.labelActivity.sampleBusy();
		return this.labelActivity;
	}

	@Benchmark
	public CapacitySampler capacitySample() {
		this.capacity.sample();
		return this.capacity;
	}

	/**
	 * A registry whose readings are kept 5 ms, and a pause before each scrape that lets them
	 * expire.
	 */
	@State(Scope.Benchmark)
	public static class ExpiredReadings {

		PrometheusMeterRegistry registry;

		@Setup(Level.Trial)
		public void setUp(MetricsScrapeBenchmark benchmark) {
			this.registry = benchmark.diagkitRegistry(Duration.ofMillis(5));
		}

		@Setup(Level.Invocation)
		public void letReadingsExpire() throws InterruptedException {
			Thread.sleep(6);
		}

	}

	/**
	 * A 6 ms pause before each scrape, as {@link ExpiredReadings} has.
	 */
	@State(Scope.Benchmark)
	public static class Pause {

		@Setup(Level.Invocation)
		public void pause() throws InterruptedException {
			Thread.sleep(6);
		}

	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
