package dev.diagkit.benchmarks;

import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

import dev.diagkit.autoconfigure.DiagkitCapacityProperties;
import dev.diagkit.capacity.CapacitySampler;
import dev.diagkit.labels.LabelRegistry;
import dev.diagkit.labels.LabelSet;
import dev.diagkit.labels.ProfilingLabels;
import dev.diagkit.metrics.LabelActivityMetrics;
import dev.diagkit.metrics.SafepointMetrics;
import dev.diagkit.runtime.MetricsRefresher;
import dev.diagkit.runtime.ProcessThreadTimes;
import dev.diagkit.runtime.QueueWaitRecorder;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * CPU that diagkit's background work takes, measured rather than multiplied out: the
 * refresher runs with the auto-configuration's default schedule (per-thread CPU scan and
 * label count every 5 s, busy label time every 100 ms, a capacity sample every 10 s) and the safepoint JFR stream runs,
 * in a JVM with 40 parked application threads. It reports the CPU time of the
 * {@code diagkit-metrics} thread and of the JFR threads in the first minute (one-time costs)
 * and over the given number of seconds after it (default 120), extrapolated to one hour.
 * Usage: {@code java -cp benchmarks.jar
 * dev.diagkit.benchmarks.MetricsBackgroundCost [seconds]}.
 */
public final class MetricsBackgroundCost {

	private static final System.Logger logger = System.getLogger(MetricsBackgroundCost.class.getName());

	private static final long WARM_UP_SECONDS = 60;

	private MetricsBackgroundCost() {
	}

	public static void main(String[] args) throws Exception {
		long seconds = (args.length > 0) ? Long.parseLong(args[0]) : 120;
		CountDownLatch release = new CountDownLatch(1);
		List<Thread> threads = new ArrayList<>();
		for (int i = 0; i < 40; i++) {
			LabelSet labels = (i < 10) ? LabelSet.of("tenant", "tenant-" + (i % 5)) : LabelSet.empty();
			Thread thread = new Thread(() -> ProfilingLabels.run(labels, () -> {
				try {
					release.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}), "pool-" + i);
			thread.setDaemon(true);
			thread.start();
			threads.add(thread);
		}
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		ProcessThreadTimes times = ProcessThreadTimes.forThisProcess();
		QueueWaitRecorder waits = new QueueWaitRecorder();
		try (MetricsRefresher refresher = new MetricsRefresher();
				LabelRegistry labels = new LabelRegistry(Duration.ofMinutes(10));
				SafepointMetrics safepoints = new SafepointMetrics(Tags.empty());
				CapacitySampler capacity = new CapacitySampler(new DiagkitCapacityProperties().toSettings(), times, waits)) {
			safepoints.bindTo(registry);
			LabelActivityMetrics activity = new LabelActivityMetrics(labels, Set.of("tenant"), 200, "_other",
					Tags.empty());
			activity.bindTo(registry);
			refresher.schedule("per-thread CPU", Duration.ofSeconds(5), times::refresh);
			refresher.schedule("label activity", Duration.ofSeconds(5), activity::refresh);
			refresher.schedule("busy label time", Duration.ofMillis(100), activity::sampleBusy);
			refresher.schedule("capacity inputs", Duration.ofSeconds(10), capacity::sample);
			// the first minute holds one-time costs: JFR starting, code still interpreted
			Thread.sleep(Duration.ofSeconds(WARM_UP_SECONDS).toMillis());
			double refresherStart = cpuSeconds((name) -> name.equals("diagkit-metrics"));
			double jfrStart = cpuSeconds((name) -> name.startsWith("JFR"));
			Thread.sleep(Duration.ofSeconds(seconds).toMillis());
			double refresherSeconds = cpuSeconds((name) -> name.equals("diagkit-metrics")) - refresherStart;
			double jfrSeconds = cpuSeconds((name) -> name.startsWith("JFR")) - jfrStart;
			double perHour = 3600.0 / seconds;
			logger.log(Level.INFO, String.format(Locale.ROOT,
					"first %d s: diagkit-metrics thread %.3f s CPU, JFR threads %.3f s CPU; next %d s: diagkit-metrics "
							+ "thread %.3f s CPU (%.2f s per hour), JFR threads %.3f s CPU (%.2f s per hour); "
							+ "%d capacity samples",
					WARM_UP_SECONDS, refresherStart, jfrStart, seconds, refresherSeconds, refresherSeconds * perHour,
					jfrSeconds, jfrSeconds * perHour, capacity.report().samples()));
		}
		release.countDown();
	}

	private static double cpuSeconds(java.util.function.Predicate<String> name) {
		ThreadMXBean mx = ManagementFactory.getThreadMXBean();
		long nanos = 0;
		for (Thread thread : Thread.getAllStackTraces().keySet()) {
			if (name.test(thread.getName())) {
				long cpu = mx.getThreadCpuTime(thread.getId());
				nanos += Math.max(0, cpu);
			}
		}
		return nanos / 1e9;
	}

}
