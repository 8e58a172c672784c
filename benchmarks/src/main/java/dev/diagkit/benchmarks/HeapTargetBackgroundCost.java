package dev.diagkit.benchmarks;

import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

import dev.diagkit.memory.AdaptiveHeapController;
import dev.diagkit.memory.Collector;
import dev.diagkit.memory.GcCpuShare;
import dev.diagkit.memory.HeapLever;
import dev.diagkit.memory.HeapTargetPolicy;
import dev.diagkit.memory.MemoryPressureSource;
import dev.diagkit.runtime.CgroupMemory;
import dev.diagkit.runtime.GcActivity;
import dev.diagkit.runtime.MetricsRefresher;
import dev.diagkit.runtime.ProcessCgroup;
import dev.diagkit.runtime.ProcessThreadTimes;

/**
 * CPU that the adaptive heap target's own thread takes, measured: the controller runs as the
 * auto-configuration builds it (the running collector's lever, the GC share from every
 * thread's CPU time, the live heap from GC notifications) against a PSI file of the kernel's
 * format holding low pressure, in a JVM with 40 parked application threads. With
 * {@code shared}, the metrics refresher scans the threads' CPU every 5 s as it does when
 * diagkit's metrics are on, and the controller reuses its scans (its own cost is then
 * what is measured); with {@code own}, the controller scans at every decision, as with
 * metrics off. It reports the CPU time of the {@code diagkit-heap-target} thread over the
 * first minute (one-time costs) and over the given seconds after it, per decision and
 * extrapolated to an hour at the default 10 s period. Usage: {@code java -cp benchmarks.jar
 * dev.diagkit.benchmarks.HeapTargetBackgroundCost [seconds] [period] [shared|own]}, by
 * default 600 s, {@code PT10S} and {@code shared}.
 */
public final class HeapTargetBackgroundCost {

	private static final System.Logger logger = System.getLogger(HeapTargetBackgroundCost.class.getName());

	private static final long WARM_UP_SECONDS = 60;

	private HeapTargetBackgroundCost() {
	}

	public static void main(String[] args) throws Exception {
		long seconds = (args.length > 0) ? Long.parseLong(args[0]) : 600;
		Duration period = (args.length > 1) ? Duration.parse(args[1]) : Duration.ofSeconds(10);
		boolean shared = args.length <= 2 || "shared".equals(args[2]);
		CountDownLatch release = new CountDownLatch(1);
		for (int i = 0; i < 40; i++) {
			Thread thread = new Thread(() -> {
				try {
					release.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}, "pool-" + i);
			thread.setDaemon(true);
			thread.start();
		}
		Path psi = Files.createTempFile("heap-target-cost-", ".pressure");
		Files.writeString(psi, "some avg10=0.20 avg60=0.10 avg300=0.05 total=1200\n"
				+ "full avg10=0.00 avg60=0.00 avg300=0.00 total=300\n");
		long base = Runtime.getRuntime().maxMemory();
		ProcessThreadTimes times = ProcessThreadTimes.forThisProcess();
		try (MetricsRefresher refresher = new MetricsRefresher();
				GcActivity gc = new GcActivity();
				AdaptiveHeapController controller = new AdaptiveHeapController(
						new AdaptiveHeapController.Settings(period, base, 32),
						new HeapTargetPolicy(HeapTargetPolicy.Settings.DEFAULTS),
						HeapLever.of(Collector.running(), base, period, gc::heapAfterGc),
						MemoryPressureSource.discover(psi, CgroupMemory.forThisProcess(), ProcessCgroup.PROC_ROOT)
							.orElseThrow(),
						new GcCpuShare(times, shared ? period.dividedBy(2) : Duration.ZERO), gc::heapAfterGc)) {
			if (shared) {
				refresher.schedule("per-thread CPU", Duration.ofSeconds(5), times::refresh);
			}
			controller.start();
			Thread.sleep(Duration.ofSeconds(WARM_UP_SECONDS).toMillis());
			double start = cpuSeconds();
			Thread.sleep(Duration.ofSeconds(seconds).toMillis());
			double used = cpuSeconds() - start;
			long decisions = seconds * 1000 / period.toMillis();
			logger.log(Level.INFO, String.format(Locale.ROOT,
					"period %s, " + (shared ? "scans shared" : "own scans") + ": first %d s %.4f s CPU; next %d s %.4f s CPU over about %d decisions: "
							+ "%.1f us a decision, %.3f s per hour at a 10 s period",
					period, WARM_UP_SECONDS, start, seconds, used, decisions, used / decisions * 1e6,
					used / decisions * 360));
		}
		finally {
			release.countDown();
			Files.deleteIfExists(psi);
		}
	}

	private static double cpuSeconds() {
		ThreadMXBean mx = ManagementFactory.getThreadMXBean();
		for (Thread thread : Thread.getAllStackTraces().keySet()) {
			if (thread.getName().equals(AdaptiveHeapController.THREAD_NAME)) {
				return Math.max(0, mx.getThreadCpuTime(thread.getId())) / 1e9;
			}
		}
		throw new IllegalStateException("no " + AdaptiveHeapController.THREAD_NAME + " thread");
	}

}
