package dev.diagkit.memory;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import dev.diagkit.runtime.CgroupMemory;
import dev.diagkit.runtime.GcActivity;
import dev.diagkit.runtime.ProcessCgroup;
import dev.diagkit.runtime.ProcessThreadTimes;
import dev.diagkit.testing.ChildJvm;

/**
 * The adaptive heap target running on its own thread in a JVM of its own, as an
 * application runs it, while committed heap is watched: 100 MB stay live (in arrays small
 * enough not to be humongous on G1 or Shenandoah) and a worker spends half a core making
 * 256 MB/s of garbage. Low pressure is written to a PSI file of the kernel's format for a
 * warm-up of 3 s (where the collector's share of CPU at the base is measured) and two
 * periods, then {@code some avg10=40} for the pressure phase, then {@code 0.20} until the
 * target is back at its base.
 * <p>
 * Reports committed heap when pressure began and its highest in the two periods before, its
 * lowest during the pressure, its highest in the pressure's second half (once the target has
 * settled) and when it first fell by 20% and 30%, when the target was back at the base after the pressure, the
 * highest GC share of CPU the controller read, the most collections in one period, and the
 * reasons of the changes. Arguments: the results file, the PSI file, the controller's period
 * (such as {@code 1s}), the pressure phase's length (such as {@code 20s}), and optionally the
 * live set in MB (100) and the cap on the GC share of CPU (0.3; {@code auto} for 2.5 times the
 * share measured at the base).
 */
public final class HeapShrinkChildMain {

	private static final long MB = 1024 * 1024;

	private static final long SAMPLE_MILLIS = 250;

	static volatile Object sink;

	private HeapShrinkChildMain() {
	}

	public static void main(String[] args) throws Exception {
		Path psi = Path.of(args[1]);
		Duration period = Duration.parse("PT" + args[2].toUpperCase(Locale.ROOT));
		Duration pressure = Duration.parse("PT" + args[3].toUpperCase(Locale.ROOT));
		int liveMegabytes = (args.length > 4) ? Integer.parseInt(args[4]) : 100;
		AdaptiveHeapChildMain.writePressure(psi, 0.2);
		List<byte[]> live = new ArrayList<>();
		for (int i = 0; i < liveMegabytes * 16; i++) {
			live.add(new byte[64 * 1024]);
		}
		Thread churn = new Thread(() -> {
			// work as well as garbage, as an application has: half a core, 256 MB/s
			long checksum = 0;
			while (true) {
				byte[] garbage = null;
				for (int n = 0; n < 4; n++) {
					garbage = new byte[64 * 1024];
					garbage[n] = (byte) n;
				}
				long busyUntil = System.nanoTime() + 500_000;
				while (System.nanoTime() < busyUntil) {
					for (int i = 0; i < garbage.length; i += 64) {
						garbage[i] = (byte) (checksum += i);
					}
				}
				sink = garbage;
				LockSupport.parkNanos(500_000);
			}
		}, "churn");
		churn.setDaemon(true);
		churn.start();
		HeapTargetPolicy.Settings defaults = HeapTargetPolicy.Settings.DEFAULTS;
		GcCpuShare warmUp = new GcCpuShare(ProcessThreadTimes.forThisProcess());
		Thread.sleep(3000);
		double shareAtBase = warmUp.getAsDouble();
		// "auto": a cap the collector keeps at the base (at most 40% of it there), so that
		// only a tighter heap can go over it
		double gcShareCap = (args.length <= 5) ? defaults.gcShareCap()
				: "auto".equals(args[5]) ? Math.min(1, Math.max(0.02, shareAtBase * 2.5)) : Double.parseDouble(args[5]);
		Properties results = new Properties();
		results.setProperty("gcShareAtBase", Double.toString(shareAtBase));
		results.setProperty("gcShareCap", Double.toString(gcShareCap));
		Collector collector = Collector.running();
		long base = Runtime.getRuntime().maxMemory();
		try (GcActivity gc = new GcActivity();
				AdaptiveHeapController controller = new AdaptiveHeapController(
						new AdaptiveHeapController.Settings(period, base, 64),
						new HeapTargetPolicy(new HeapTargetPolicy.Settings(defaults.highPressure(),
								defaults.lowPressure(), defaults.reduceRatio(), defaults.floorRatio(),
								Double.parseDouble(System.getProperty("liveHeadroom", Double.toString(defaults.liveHeadroom()))),
								gcShareCap)),
						HeapLever.of(collector, base, period, gc::heapAfterGc),
						MemoryPressureSource.discover(psi, CgroupMemory.forThisProcess(), ProcessCgroup.PROC_ROOT)
							.orElseThrow(),
						new GcCpuShare(ProcessThreadTimes.forThisProcess()), gc::heapAfterGc)) {
			controller.start();
			Watch watch = new Watch(controller, period);
			watch.during(period.multipliedBy(2));
			long before = committed();
			results.setProperty("committedBefore", Long.toString(before));
			results.setProperty("highestCommittedBefore", Long.toString(watch.highest(0)));
			AdaptiveHeapChildMain.writePressure(psi, 40.0);
			long pressureStart = System.nanoTime();
			int pressureSamples = watch.samples.size();
			if (Boolean.getBoolean("storm")) {
				storm(period);
			}
			watch.during(pressure.dividedBy(2));
			int settledSamples = watch.samples.size();
			watch.during(pressure.minus(pressure.dividedBy(2)));
			results.setProperty("lowestCommitted", Long.toString(watch.lowest(pressureSamples)));
			results.setProperty("highestCommittedSettled", Long.toString(watch.highest(settledSamples)));
			results.setProperty("lowestTarget", Long.toString(controller.status().target()));
			results.setProperty("floor", Long.toString(controller.status().floor()));
			results.setProperty("fell20After", millis(watch.firstBelow(before * 0.8, pressureSamples), pressureStart));
			results.setProperty("fell30After", millis(watch.firstBelow(before * 0.7, pressureSamples), pressureStart));
			AdaptiveHeapChildMain.writePressure(psi, 0.2);
			long reliefStart = System.nanoTime();
			watch.until(() -> controller.status().target() == base, Duration.ofSeconds(90));
			results.setProperty("baseAgainAfter", Long.toString((System.nanoTime() - reliefStart) / 1_000_000));
			results.setProperty("maxGcShare", Double.toString(watch.maxGcShare));
			results.setProperty("mostCollectionsInAPeriod", Long.toString(watch.mostCollectionsInAPeriod));
			results.setProperty("tightenedAfterBackOff", Boolean.toString(tightenedAfterBackOff(controller)));
			results.setProperty("reasons", AdaptiveHeapChildMain.reasons(controller));
			results.setProperty("timeline", watch.timeline.toString());
		}
		results.setProperty("collector", collector.name());
		results.setProperty("advice", HeapLever.of(collector, base, Duration.ofSeconds(10), () -> -1).advice().orElse(""));
		results.setProperty("base", Long.toString(base));
		results.setProperty("liveMegabytes", Integer.toString(live.size() / 16));
		ChildJvm.report(args[0], results);
	}

	/**
	 * Two periods into the pressure, makes the collector work back to back for four periods,
	 * as a live set the target squeezes does.
	 */
	private static void storm(Duration period) {
		Thread storm = new Thread(() -> {
			try {
				Thread.sleep(period.multipliedBy(2).toMillis());
			}
			catch (InterruptedException ex) {
				return;
			}
			long end = System.nanoTime() + period.multipliedBy(4).toNanos();
			while (System.nanoTime() < end) {
				System.gc();
			}
		}, "gc-storm");
		storm.setDaemon(true);
		storm.start();
	}

	/** Whether a change under pressure went as low as a target the collector backed off from. */
	private static boolean tightenedAfterBackOff(AdaptiveHeapController controller) {
		long tooTight = 0;
		for (AdaptiveHeapController.Change change : controller.status().history()) {
			switch (change.decision().reason()) {
				case GC_BACK_OFF -> tooTight = Math.max(tooTight, change.from());
				case PRESSURE -> {
					if (change.to() <= tooTight) {
						return true;
					}
				}
				case PRESSURE_GONE -> tooTight = 0;
				default -> {
				}
			}
		}
		return false;
	}

	private static String millis(long at, long start) {
		return (at < 0) ? "-1" : Long.toString((at - start) / 1_000_000);
	}

	static long committed() {
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
	}

	private static long collections() {
		long count = 0;
		for (GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
			// pauses and cycles are counted by separate beans on ZGC and Shenandoah: count cycles once
			if (!bean.getName().endsWith("Pauses")) {
				count += Math.max(0, bean.getCollectionCount());
			}
		}
		return count;
	}

	/** Samples committed heap, the controller's readings and the collections every 250 ms. */
	private static final class Watch {

		private final AdaptiveHeapController controller;

		private final long periodMillis;

		private final List<long[]> samples = new ArrayList<>();

		private final StringBuilder timeline = new StringBuilder();

		private double maxGcShare;

		private long mostCollectionsInAPeriod;

		private final long started = System.nanoTime();

		Watch(AdaptiveHeapController controller, Duration period) {
			this.controller = controller;
			this.periodMillis = period.toMillis();
		}

		void during(Duration length) throws InterruptedException {
			long end = System.nanoTime() + length.toNanos();
			while (System.nanoTime() < end) {
				sample();
			}
		}

		void until(BooleanSupplier condition, Duration atMost) throws InterruptedException {
			long end = System.nanoTime() + atMost.toNanos();
			while (!condition.getAsBoolean()) {
				if (System.nanoTime() > end) {
					throw new IllegalStateException("not settled in " + atMost + ": " + this.controller.status());
				}
				sample();
			}
		}

		/** When committed heap was first at or under the bytes, from the sample at the index on. */
		long firstBelow(double bytes, int from) {
			for (long[] sample : this.samples.subList(from, this.samples.size())) {
				if (sample[1] <= bytes) {
					return sample[0];
				}
			}
			return -1;
		}

		/** The lowest committed heap from the sample at the index on. */
		long lowest(int from) {
			return this.samples.subList(from, this.samples.size()).stream().mapToLong((sample) -> sample[1]).min().orElse(-1);
		}

		/** The highest committed heap from the sample at the index on. */
		long highest(int from) {
			return this.samples.subList(from, this.samples.size()).stream().mapToLong((sample) -> sample[1]).max().orElse(-1);
		}

		private void sample() throws InterruptedException {
			Thread.sleep(SAMPLE_MILLIS);
			long now = System.nanoTime();
			long committed = committed();
			long collections = collections();
			this.samples.add(new long[] { now, committed, collections });
			AdaptiveHeapController.Status status = this.controller.status();
			if (status.lastReading() != null && Double.isFinite(status.lastReading().gcShare())) {
				this.maxGcShare = Math.max(this.maxGcShare, status.lastReading().gcShare());
			}
			long windowStart = now - this.periodMillis * 1_000_000;
			for (long[] earlier : this.samples) {
				if (earlier[0] >= windowStart) {
					this.mostCollectionsInAPeriod = Math.max(this.mostCollectionsInAPeriod, collections - earlier[2]);
					break;
				}
			}
			this.timeline.append(String.format(Locale.ROOT, "%.2f:%d/%d ", (now - this.started) / 1e9,
					committed / MB, status.target() / MB));
		}

	}

}
