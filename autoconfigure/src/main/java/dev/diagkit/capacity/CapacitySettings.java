package dev.diagkit.capacity;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The sampling and the thresholds of the capacity report, one small record per budget.
 *
 * @param sampleInterval how often inputs are sampled
 * @param windows the windows statistics are kept over; verdicts use the shortest
 * @param cpu the CPU budget's thresholds
 * @param memory the memory budget's thresholds
 * @param threads the thread budget's thresholds
 * @param latency the latency budget's thresholds
 * @param gc the GC budget's thresholds
 * @param minEvidence how much time samples must cover before a budget gives a verdict;
 * until then it says {@link Verdict#INSUFFICIENT_DATA} with what it has seen
 */
public record CapacitySettings(Duration sampleInterval, List<Duration> windows, Cpu cpu, Memory memory,
		Threads threads, Latency latency, Gc gc, Duration minEvidence) {

	/**
	 * Checks the settings and sorts the windows, shortest first. Bound from properties, the
	 * same rules are checked first with the property's name.
	 * @throws IllegalArgumentException when a value is out of range, with the accepted range
	 */
	public CapacitySettings {
		require(!sampleInterval.isNegative() && !sampleInterval.isZero(), "sample interval", "positive",
				sampleInterval);
		require(!windows.isEmpty(), "windows", "at least one window", windows);
		for (Duration window : windows) {
			require(window.compareTo(sampleInterval) > 0, "window",
					"longer than the sample interval (" + sampleInterval + ")", window);
		}
		windows = windows.stream().sorted().toList();
		require(!minEvidence.isNegative() && minEvidence.compareTo(windows.get(0)) <= 0, "minimum evidence",
				"between 0 and the shortest window (" + windows.get(0) + ")", minEvidence);
	}

	/**
	 * Creates settings whose budgets judge from the first samples on.
	 * @param sampleInterval how often inputs are sampled
	 * @param windows the windows statistics are kept over; verdicts use the shortest
	 * @param cpu the CPU budget's thresholds
	 * @param memory the memory budget's thresholds
	 * @param threads the thread budget's thresholds
	 * @param latency the latency budget's thresholds
	 * @param gc the GC budget's thresholds
	 */
	public CapacitySettings(Duration sampleInterval, List<Duration> windows, Cpu cpu, Memory memory, Threads threads,
			Latency latency, Gc gc) {
		this(sampleInterval, windows, cpu, memory, threads, latency, gc, Duration.ZERO);
	}

	private static void require(boolean valid, String what, String accepted, @Nullable Object actual) {
		if (!valid) {
			throw new IllegalArgumentException("Capacity " + what + " must be " + accepted + ", was " + actual);
		}
	}

	/**
	 * CPU budget thresholds.
	 *
	 * @param gcShareWarn GC share of CPU above which the CPU budget warns
	 * @param gcShareCritical GC share of CPU above which the CPU budget is critical
	 * @param headroom headroom wanted above the p99 of the process's CPU use: the budget
	 * warns when the p99 times this no longer fits the cgroup's CPU quota
	 * @param throttledShareWarn share of scheduling periods throttled (median) above which
	 * the budget warns
	 * @param throttledShareCritical share of periods throttled above which it is critical
	 */
	public record Cpu(double gcShareWarn, double gcShareCritical, double headroom, double throttledShareWarn,
			double throttledShareCritical) {

		/**
		 * Checks the thresholds.
		 */
		public Cpu {
			require(gcShareWarn > 0 && gcShareWarn < gcShareCritical && gcShareCritical <= 1, "GC share thresholds",
					"0 < warn < critical <= 1", gcShareWarn + " and " + gcShareCritical);
			require(headroom >= 1, "CPU headroom", "at least 1", headroom);
			require(throttledShareWarn > 0 && throttledShareWarn < throttledShareCritical
					&& throttledShareCritical <= 1, "throttled share thresholds", "0 < warn < critical <= 1",
					throttledShareWarn + " and " + throttledShareCritical);
		}

		/**
		 * Creates thresholds for the GC share, with the default quota headroom (1.3) and
		 * throttling thresholds (5%, 25%).
		 * @param gcShareWarn GC share of CPU above which the CPU budget warns
		 * @param gcShareCritical GC share of CPU above which the CPU budget is critical
		 */
		public Cpu(double gcShareWarn, double gcShareCritical) {
			this(gcShareWarn, gcShareCritical, 1.3, 0.05, 0.25);
		}

	}

	/**
	 * Memory budget thresholds.
	 *
	 * @param headroom headroom wanted above the peak working set and heap: the budget warns
	 * when the peak times this no longer fits the limit
	 */
	public record Memory(double headroom) {

		/**
		 * Checks the headroom.
		 */
		public Memory {
			require(headroom >= 1, "memory headroom", "at least 1", headroom);
		}

	}

	/**
	 * Thread budget thresholds.
	 *
	 * @param headroom headroom wanted above the p99 of threads: the budget warns when the p99
	 * times this no longer fits the limit
	 * @param limit the thread limit used when neither the cgroup nor its ancestors set a
	 * {@code pids.max}
	 */
	public record Threads(double headroom, int limit) {

		/**
		 * Checks the headroom and the limit.
		 */
		public Threads {
			require(headroom >= 1, "thread headroom", "at least 1", headroom);
			require(limit > 0, "thread limit", "positive", limit);
		}

	}

	/**
	 * Latency budget thresholds.
	 *
	 * @param queueWaitTarget the executor queue-wait p99 above which the budget warns
	 * @param runQueueWaitWarn threads waiting for a CPU, on average per available processor,
	 * above which the budget warns
	 */
	public record Latency(Duration queueWaitTarget, double runQueueWaitWarn) {

		/**
		 * Checks the thresholds.
		 */
		public Latency {
			require(!queueWaitTarget.isNegative() && !queueWaitTarget.isZero(), "queue-wait target", "positive",
					queueWaitTarget);
			require(runQueueWaitWarn > 0, "run-queue wait threshold", "positive", runQueueWaitWarn);
		}

	}

	/**
	 * GC budget thresholds.
	 *
	 * @param pauseTarget the GC pause p99 above which the budget warns, or {@code null} for
	 * the collector's own goal
	 */
	public record Gc(@Nullable Duration pauseTarget) {

		/**
		 * Checks the pause target.
		 */
		public Gc {
			require(pauseTarget == null || (!pauseTarget.isNegative() && !pauseTarget.isZero()), "GC pause target",
					"positive", pauseTarget);
		}

	}

}
