package dev.diagkit.capacity;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The sampling and the thresholds of the capacity report.
 *
 * @param sampleInterval how often inputs are sampled
 * @param windows the windows statistics are kept over, shortest first; verdicts use the
 * first
 * @param gcShareWarn GC share of CPU above which the CPU budget warns
 * @param gcShareCritical GC share of CPU above which the CPU budget is critical
 * @param memoryHeadroom headroom wanted above the peak working set and heap: the memory
 * budget warns when the peak times this no longer fits the limit
 * @param threadHeadroom headroom wanted above the p99 of threads: the thread budget warns
 * when the p99 times this no longer fits the limit
 * @param threadLimit the thread limit used when neither the cgroup nor its ancestors set a
 * {@code pids.max}
 * @param queueWaitTarget the executor queue-wait p99 above which the latency budget warns
 * @param runQueueWaitWarn threads waiting for a CPU, on average per available processor,
 * above which the latency budget warns
 * @param gcPauseTarget the GC pause p99 above which the GC budget warns, or {@code null} for
 * the collector's default
 */
public record CapacitySettings(Duration sampleInterval, List<Duration> windows, double gcShareWarn,
		double gcShareCritical, double memoryHeadroom, double threadHeadroom, int threadLimit,
		Duration queueWaitTarget, double runQueueWaitWarn, @Nullable Duration gcPauseTarget) {

	/**
	 * Checks the settings.
	 * @throws IllegalArgumentException when a value is out of range, with the accepted range
	 */
	public CapacitySettings {
		require(!sampleInterval.isNegative() && !sampleInterval.isZero(), "sample interval", "positive",
				sampleInterval);
		require(!windows.isEmpty(), "windows", "at least one window", windows);
		for (Duration window : windows) {
			require(window.compareTo(sampleInterval) > 0, "window", "longer than the sample interval (" + sampleInterval
					+ ")", window);
		}
		windows = windows.stream().sorted().toList();
		require(gcShareWarn > 0 && gcShareWarn < gcShareCritical && gcShareCritical <= 1, "GC share thresholds",
				"0 < warn < critical <= 1", gcShareWarn + " and " + gcShareCritical);
		require(memoryHeadroom >= 1, "memory headroom", "at least 1", memoryHeadroom);
		require(threadHeadroom >= 1, "thread headroom", "at least 1", threadHeadroom);
		require(threadLimit > 0, "thread limit", "positive", threadLimit);
		require(!queueWaitTarget.isNegative() && !queueWaitTarget.isZero(), "queue-wait target", "positive",
				queueWaitTarget);
		require(runQueueWaitWarn > 0, "run-queue wait threshold", "positive", runQueueWaitWarn);
		require(gcPauseTarget == null || (!gcPauseTarget.isNegative() && !gcPauseTarget.isZero()), "GC pause target",
				"positive", gcPauseTarget);
	}

	/**
	 * Returns the defaults: a sample every 10 s, windows of 1 h and 24 h, GC share warning at
	 * 25% and critical at 50%, headroom 1.3 for memory and 1.5 for threads, 1,000 threads,
	 * queue-wait target 1 ms, 0.25 threads waiting for a CPU per processor, and the
	 * collector's pause target.
	 * @return the defaults
	 */
	public static CapacitySettings defaults() {
		return new CapacitySettings(Duration.ofSeconds(10), List.of(Duration.ofHours(1), Duration.ofHours(24)), 0.25,
				0.5, 1.3, 1.5, 1000, Duration.ofMillis(1), 0.25, null);
	}

	private static void require(boolean valid, String what, String accepted, @Nullable Object actual) {
		if (!valid) {
			throw new IllegalArgumentException("Capacity " + what + " must be " + accepted + ", was " + actual);
		}
	}

}
