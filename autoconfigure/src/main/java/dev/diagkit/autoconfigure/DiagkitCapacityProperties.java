package dev.diagkit.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.diagkit.capacity.CapacitySettings;
import dev.diagkit.runtime.DurationFormat;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Configuration properties of the capacity report's sampling and thresholds, under
 * {@code diagkit.capacity}.
 */
@ConfigurationProperties("diagkit.capacity")
public class DiagkitCapacityProperties implements Validator {

	/**
	 * How often the capacity inputs are sampled.
	 */
	private Duration sampleInterval = Duration.ofSeconds(10);

	/**
	 * Windows over which rolling statistics are kept; verdicts use the shortest.
	 */
	private List<Duration> windows = new ArrayList<>(List.of(Duration.ofHours(1), Duration.ofHours(24)));

	/**
	 * How much time samples must cover before a budget gives a verdict; until then it says
	 * "insufficient data" with what it has seen so far. Default: half of the shortest window
	 * (30 minutes for 1 h). At most the shortest window; 0 judges from the first samples.
	 */
	private @Nullable Duration minEvidence;

	/**
	 * Directory the rolling statistics are kept in, so that a restarted service keeps its
	 * evidence (at most about 1 MB). Default: the local profile store's directory when the
	 * store is on, otherwise none (statistics start afresh at each start).
	 */
	private @Nullable Path statisticsDirectory;

	private final CpuBudget cpu = new CpuBudget();

	private final MemoryBudget memory = new MemoryBudget();

	private final ThreadBudget threads = new ThreadBudget();

	private final LatencyBudget latency = new LatencyBudget();

	private final GcBudget gc = new GcBudget();

	public Duration getSampleInterval() {
		return this.sampleInterval;
	}

	public void setSampleInterval(Duration sampleInterval) {
		this.sampleInterval = sampleInterval;
	}

	public List<Duration> getWindows() {
		return this.windows;
	}

	public void setWindows(List<Duration> windows) {
		this.windows = windows;
	}

	public CpuBudget getCpu() {
		return this.cpu;
	}

	public MemoryBudget getMemory() {
		return this.memory;
	}

	public ThreadBudget getThreads() {
		return this.threads;
	}

	public LatencyBudget getLatency() {
		return this.latency;
	}

	public GcBudget getGc() {
		return this.gc;
	}

	/**
	 * Returns the settings these properties describe.
	 * @return the capacity sampler's settings
	 */
	public CapacitySettings toSettings() {
		Duration shortest = this.windows.stream().min(Duration::compareTo).orElseThrow();
		Duration evidence = (this.minEvidence != null) ? this.minEvidence : shortest.dividedBy(2);
		return new CapacitySettings(this.sampleInterval, this.windows,
				new CapacitySettings.Cpu(this.cpu.getGcShareWarn(), this.cpu.getGcShareCritical(), this.cpu.getHeadroom(),
						this.cpu.getThrottledShareWarn(), this.cpu.getThrottledShareCritical()),
				new CapacitySettings.Memory(this.memory.getHeadroom()),
				new CapacitySettings.Threads(this.threads.getHeadroom(), this.threads.getLimit()),
				new CapacitySettings.Latency(this.latency.getQueueWaitTarget(), this.latency.getRunQueueWaitWarn()),
				new CapacitySettings.Gc(this.gc.getPauseTarget()), evidence);
	}

	public @Nullable Path getStatisticsDirectory() {
		return this.statisticsDirectory;
	}

	public void setStatisticsDirectory(@Nullable Path statisticsDirectory) {
		this.statisticsDirectory = statisticsDirectory;
	}

	public @Nullable Duration getMinEvidence() {
		return this.minEvidence;
	}

	public void setMinEvidence(@Nullable Duration minEvidence) {
		this.minEvidence = minEvidence;
	}

	@Override
	public boolean supports(Class<?> type) {
		return DiagkitCapacityProperties.class.isAssignableFrom(type);
	}

	@Override
	public void validate(Object target, Errors errors) {
		DiagkitCapacityProperties properties = (DiagkitCapacityProperties) target;
		PropertyChecks checks = new PropertyChecks(errors);
		Duration interval = properties.getSampleInterval();
		checks.positive("sampleInterval", interval);
		if (properties.getWindows().isEmpty()) {
			checks.reject("windows", "must hold at least one window, such as 1h");
		}
		for (Duration window : properties.getWindows()) {
			if (interval != null && (window == null || window.compareTo(interval) <= 0)) {
				checks.reject("windows", "every window must be longer than the sample interval ("
						+ DurationFormat.format(interval) + "), was " + DurationFormat.format(window));
			}
		}
		Duration evidence = properties.getMinEvidence();
		Duration shortest = properties.getWindows().stream().filter(java.util.Objects::nonNull).min(Duration::compareTo)
			.orElse(null);
		if (evidence != null && (evidence.isNegative() || (shortest != null && evidence.compareTo(shortest) > 0))) {
			checks.reject("minEvidence", "must be between 0 and the shortest window ("
					+ ((shortest != null) ? DurationFormat.format(shortest) : "none") + "), was "
					+ DurationFormat.format(evidence));
		}
		CpuBudget cpu = properties.getCpu();
		checks.ratio("cpu.gcShareWarn", cpu.getGcShareWarn());
		checks.ratio("cpu.gcShareCritical", cpu.getGcShareCritical());
		if (cpu.getGcShareCritical() <= cpu.getGcShareWarn()) {
			checks.reject("cpu.gcShareCritical", "must be above diagkit.capacity.cpu.gc-share-warn ("
					+ cpu.getGcShareWarn() + "), was " + cpu.getGcShareCritical());
		}
		checks.atLeast("cpu.headroom", cpu.getHeadroom(), 1.0);
		checks.ratio("cpu.throttledShareWarn", cpu.getThrottledShareWarn());
		checks.ratio("cpu.throttledShareCritical", cpu.getThrottledShareCritical());
		if (cpu.getThrottledShareCritical() <= cpu.getThrottledShareWarn()) {
			checks.reject("cpu.throttledShareCritical", "must be above diagkit.capacity.cpu.throttled-share-warn ("
					+ cpu.getThrottledShareWarn() + "), was " + cpu.getThrottledShareCritical());
		}
		checks.atLeast("memory.headroom", properties.getMemory().getHeadroom(), 1.0);
		checks.atLeast("threads.headroom", properties.getThreads().getHeadroom(), 1.0);
		checks.atLeast("threads.limit", properties.getThreads().getLimit(), 1);
		checks.positive("latency.queueWaitTarget", properties.getLatency().getQueueWaitTarget());
		checks.positive("latency.runQueueWaitWarn", properties.getLatency().getRunQueueWaitWarn());
		if (properties.getGc().getPauseTarget() != null) {
			checks.positive("gc.pauseTarget", properties.getGc().getPauseTarget());
		}
	}

	/**
	 * CPU budget thresholds.
	 */
	public static class CpuBudget {

		/**
		 * GC share of CPU above which the CPU budget warns.
		 */
		private double gcShareWarn = 0.25;

		/**
		 * GC share of CPU above which the CPU budget is critical.
		 */
		private double gcShareCritical = 0.5;

		/**
		 * Headroom wanted above the p99 of the process's CPU use: the CPU budget warns when
		 * the p99 times this no longer fits the cgroup's CPU quota.
		 */
		private double headroom = 1.3;

		/**
		 * Share of scheduling periods in which the cgroup was throttled (median over the
		 * window) above which the CPU budget warns.
		 */
		private double throttledShareWarn = 0.05;

		/**
		 * Share of throttled scheduling periods above which the CPU budget is critical.
		 */
		private double throttledShareCritical = 0.25;

		public double getHeadroom() {
			return this.headroom;
		}

		public void setHeadroom(double headroom) {
			this.headroom = headroom;
		}

		public double getThrottledShareWarn() {
			return this.throttledShareWarn;
		}

		public void setThrottledShareWarn(double throttledShareWarn) {
			this.throttledShareWarn = throttledShareWarn;
		}

		public double getThrottledShareCritical() {
			return this.throttledShareCritical;
		}

		public void setThrottledShareCritical(double throttledShareCritical) {
			this.throttledShareCritical = throttledShareCritical;
		}

		public double getGcShareWarn() {
			return this.gcShareWarn;
		}

		public void setGcShareWarn(double gcShareWarn) {
			this.gcShareWarn = gcShareWarn;
		}

		public double getGcShareCritical() {
			return this.gcShareCritical;
		}

		public void setGcShareCritical(double gcShareCritical) {
			this.gcShareCritical = gcShareCritical;
		}

	}

	/**
	 * Memory budget thresholds.
	 */
	public static class MemoryBudget {

		/**
		 * Headroom wanted above the peak working set and heap: the memory budget warns
		 * when the peak times this no longer fits the limit.
		 */
		private double headroom = 1.3;

		public double getHeadroom() {
			return this.headroom;
		}

		public void setHeadroom(double headroom) {
			this.headroom = headroom;
		}

	}

	/**
	 * Thread budget thresholds.
	 */
	public static class ThreadBudget {

		/**
		 * Headroom wanted above the p99 of threads: the thread budget warns when the p99
		 * times this no longer fits the limit.
		 */
		private double headroom = 1.5;

		/**
		 * Thread limit used when neither the cgroup nor its ancestors set a pids.max.
		 */
		private int limit = 1000;

		public double getHeadroom() {
			return this.headroom;
		}

		public void setHeadroom(double headroom) {
			this.headroom = headroom;
		}

		public int getLimit() {
			return this.limit;
		}

		public void setLimit(int limit) {
			this.limit = limit;
		}

	}

	/**
	 * Latency budget thresholds.
	 */
	public static class LatencyBudget {

		/**
		 * Executor queue-wait p99 above which the latency budget warns.
		 */
		private Duration queueWaitTarget = Duration.ofMillis(1);

		/**
		 * Threads waiting for a CPU, on average per available processor, above which the latency budget warns.
		 */
		private double runQueueWaitWarn = 0.25;

		public Duration getQueueWaitTarget() {
			return this.queueWaitTarget;
		}

		public void setQueueWaitTarget(Duration queueWaitTarget) {
			this.queueWaitTarget = queueWaitTarget;
		}

		public double getRunQueueWaitWarn() {
			return this.runQueueWaitWarn;
		}

		public void setRunQueueWaitWarn(double runQueueWaitWarn) {
			this.runQueueWaitWarn = runQueueWaitWarn;
		}

	}

	/**
	 * GC budget thresholds.
	 */
	public static class GcBudget {

		/**
		 * GC pause p99 above which the GC budget warns; the collector's own goal when not set.
		 */
		private @Nullable Duration pauseTarget;

		public @Nullable Duration getPauseTarget() {
			return this.pauseTarget;
		}

		public void setPauseTarget(@Nullable Duration pauseTarget) {
			this.pauseTarget = pauseTarget;
		}

	}

}
