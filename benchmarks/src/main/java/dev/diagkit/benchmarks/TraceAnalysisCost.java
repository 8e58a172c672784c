package dev.diagkit.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.diagkit.labels.LabelSet;
import dev.diagkit.labels.ProfilingLabels;
import dev.diagkit.profiling.SamplingSettings;
import dev.diagkit.trace.DiagTask;
import dev.diagkit.trace.DiagTrace;
import dev.diagkit.trace.TraceAnalyzer;
import dev.diagkit.trace.TraceRecorder;
import dev.diagkit.trace.TraceReport;

/**
 * Time and peak heap to analyse a trace of a busy service: records the given seconds while
 * eight threads serve labelled tasks as fast as they can (each a region, a short lock hold, a
 * little CPU), then analyses the file three times with diagkit's detectors alone and three
 * times with JDK Mission Control's rules too, and reports the fastest of each, the peak heap
 * (memory pools' peaks, reset before analysing), the file's size and what was read, in log
 * lines. Run it in a JVM of its own:
 * <pre>
 * java -Xmx256m -cp benchmarks/target/benchmarks.jar dev.diagkit.benchmarks.TraceAnalysisCost 10
 * </pre>
 */
public final class TraceAnalysisCost {

	private static final System.Logger logger = System.getLogger(TraceAnalysisCost.class.getName());

	static volatile long sink;

	private TraceAnalysisCost() {
	}

	public static void main(String[] args) throws Exception {
		int seconds = (args.length > 0) ? Integer.parseInt(args[0]) : 10;
		Object lock = new Object();
		AtomicBoolean running = new AtomicBoolean(true);
		AtomicLong served = new AtomicLong();
		List<Thread> threads = new ArrayList<>();
		String[] tenants = { "acme", "globex", "initech", "umbrella" };
		for (int i = 0; i < 8; i++) {
			LabelSet labels = LabelSet.of("tenant", tenants[i % tenants.length], "endpoint", "GET /orders/{id}");
			Thread thread = new Thread(() -> {
				while (running.get()) {
					ProfilingLabels.run(labels, () -> {
						try (DiagTask task = DiagTrace.task("GET /orders/{id}")) {
							DiagTrace.region("load", () -> burn(2_000));
							synchronized (lock) {
								burn(200);
							}
						}
					});
					served.incrementAndGet();
				}
			}, "server-" + i);
			thread.setDaemon(true);
			thread.start();
			threads.add(thread);
		}
		SamplingSettings sampling = new SamplingSettings(
				new SamplingSettings.Values(Duration.ofMillis(10), 100, Duration.ofMillis(10)));
		Path file;
		long before = served.get();
		try (TraceRecorder recorder = new TraceRecorder(sampling)) {
			Path recorded = recorder.record(Duration.ofSeconds(seconds), "profile");
			file = Files.createTempFile("trace-analysis-cost-", ".jfr");
			Files.copy(recorded, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
			Files.delete(recorded);
			recorder.deleted(recorded);
		}
		long tasks = served.get() - before;
		running.set(false);
		for (Thread thread : threads) {
			thread.join();
		}
		try {
			for (boolean jmc : new boolean[] { false, true }) {
				TraceAnalyzer analyzer = new TraceAnalyzer(0.8, jmc);
				long best = Long.MAX_VALUE;
				TraceReport report = null;
				resetPeaks();
				for (int run = 0; run < 3; run++) {
					long start = System.nanoTime();
					report = analyzer.analyze(file, "capture");
					best = Math.min(best, System.nanoTime() - start);
				}
				logger.log(System.Logger.Level.INFO, String.format(java.util.Locale.ROOT,
						"%d s trace, %d KiB, %d tasks served while recording; analysers %s: best of 3 %d ms, peak heap "
								+ "%.1f MiB; read %s; findings %s",
						seconds, Files.size(file) / 1024, tasks, report.analysers(), best / 1_000_000,
						peakHeap() / 1048576.0, report.counts(), report.findings().stream().map((f) -> f.id()).toList()));
			}
		}
		finally {
			Files.deleteIfExists(file);
		}
	}

	static void burn(int iterations) {
		long x = sink;
		for (int i = 0; i < iterations; i++) {
			x += Long.numberOfTrailingZeros(x + i) ^ (x >>> 3);
		}
		sink = x;
	}

	private static void resetPeaks() {
		System.gc();
		for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
			pool.resetPeakUsage();
		}
	}

	private static long peakHeap() {
		long peak = 0;
		for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
			if (pool.getType() == java.lang.management.MemoryType.HEAP) {
				peak += pool.getPeakUsage().getUsed();
			}
		}
		return peak;
	}

}
