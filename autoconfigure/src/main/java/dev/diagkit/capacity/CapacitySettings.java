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
 */
public record CapacitySettings(Duration sampleInterval, List<Duration> windows, Cpu cpu, Memory memory,
		Threads threads, Latency latency, Gc gc) {

	/**
	 * Sorts the windows, shortest first.
	 * @throws IllegalArgumentException if there is no window
	 */
	public CapacitySettings {
		if (windows.isEmpty()) {
			throw new IllegalArgumentException("Capacity statistics need at least one window");
		}
		windows = windows.stream().sorted().toList();
	}

	/**
	 * CPU budget thresholds.
	 *
	 * @param gcShareWarn GC share of CPU above which the CPU budget warns
	 * @param gcShareCritical GC share of CPU above which the CPU budget is critical
	 */
	public record Cpu(double gcShareWarn, double gcShareCritical) {
	}

	/**
	 * Memory budget thresholds.
	 *
	 * @param headroom headroom wanted above the peak working set and heap: the budget warns
	 * when the peak times this no longer fits the limit
	 */
	public record Memory(double headroom) {
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
	}

	/**
	 * Latency budget thresholds.
	 *
	 * @param queueWaitTarget the executor queue-wait p99 above which the budget warns
	 * @param runQueueWaitWarn threads waiting for a CPU, on average per available processor,
	 * above which the budget warns
	 */
	public record Latency(Duration queueWaitTarget, double runQueueWaitWarn) {
	}

	/**
	 * GC budget thresholds.
	 *
	 * @param pauseTarget the GC pause p99 above which the budget warns, or {@code null} for
	 * the collector's own goal
	 */
	public record Gc(@Nullable Duration pauseTarget) {
	}

}
