package dev.diagkit.capacity;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import dev.diagkit.runtime.DurationFormat;

import static dev.diagkit.capacity.CapacityText.mib;
import static dev.diagkit.capacity.CapacityText.millis;
import static dev.diagkit.capacity.CapacityText.number;
import static dev.diagkit.capacity.CapacityText.percent;
import static dev.diagkit.capacity.CapacityText.whole;

/**
 * The rules of the five budgets: what each compares, against which thresholds, and what it
 * recommends. Verdicts are taken over the shortest window; the others are shown for
 * planning.
 */
final class CapacityBudgets {

	/** Utilization above which the memory and thread budgets are critical. */
	static final double CRITICAL_UTILIZATION = 0.9;

	/** The worst executor's queue-wait p99 is critical at this many times its target. */
	static final double QUEUE_WAIT_CRITICAL_FACTOR = 10;

	/** Threads waiting for a CPU are critical at this many times their warning threshold. */
	static final double RUN_QUEUE_CRITICAL_FACTOR = 2.5;

	/** GC pause p99 is critical at this many times the pause target. */
	static final double GC_PAUSE_CRITICAL_FACTOR = 2;

	private CapacityBudgets() {
	}

	static CapacityReport report(CapacitySettings settings, CapacitySampler.Limits limits,
			Map<String, RollingStatistics.Summary[]> inputs, Map<String, RollingStatistics.Summary[]> executorWaits,
			long samples) {
		Windows windows = new Windows(settings, inputs);
		return new CapacityReport(settings.windows().get(0), settings.sampleInterval(), samples,
				evidenced(settings, windows, cpu(settings, limits, windows)),
				evidenced(settings, windows, memory(settings, limits, windows)),
				evidenced(settings, windows, threads(settings, limits, windows)),
				evidenced(settings, windows, latency(settings, windows, executorWaits)),
				evidenced(settings, windows, gc(limits, windows)));
	}

	/**
	 * Holds back a budget's verdict while the samples of its window cover less time than
	 * the settings' minimum evidence: a few minutes at 6% GC are not a trend. The value and
	 * the verdict it would have are kept, as what was seen so far.
	 */
	private static Budget evidenced(CapacitySettings settings, Windows windows, Budget budget) {
		Duration covered = settings.sampleInterval().multipliedBy(windows.samples());
		Duration needed = settings.minEvidence();
		if (!budget.verdict().known() || covered.compareTo(needed) >= 0) {
			return budget;
		}
		Map<String, Object> evidence = new LinkedHashMap<>();
		evidence.put("samples", windows.samples());
		evidence.put("covered", DurationFormat.format(covered));
		evidence.put("needed", DurationFormat.format(needed));
		evidence.put("soFar", budget.verdict().label());
		Map<String, Object> figures = new LinkedHashMap<>(budget.figures());
		figures.put("evidence", evidence);
		return new Budget(Verdict.INSUFFICIENT_DATA, budget.rule(), budget.warn(), budget.critical(), budget.unit(),
				budget.value(), "Not judged yet: samples cover " + DurationFormat.format(covered) + " of the "
						+ DurationFormat.format(needed) + " a verdict needs (diagkit.capacity.min-evidence); so far "
						+ budget.verdict().label() + ": " + budget.recommendation(),
				figures);
	}

	private static Budget cpu(CapacitySettings settings, CapacitySampler.Limits limits, Windows windows) {
		CapacitySettings.Cpu cpu = settings.cpu();
		RollingStatistics.Summary share = windows.current(CapacitySampler.GC_SHARE);
		Verdict gcVerdict = Verdict.of(share.median(), cpu.gcShareWarn(), cpu.gcShareCritical());
		// against the cgroup's quota: the p99 of CPUs used, with headroom, like memory against its limit
		RollingStatistics.Summary cores = windows.current(CapacitySampler.CPU_CORES);
		double quotaWarn = warnUtilization(cpu.headroom());
		double quotaCritical = criticalUtilization(cpu.headroom());
		double quotaUtilization = cores.p99() / limits.cpuLimit();
		Verdict quotaVerdict = Verdict.of(quotaUtilization, quotaWarn, quotaCritical);
		RollingStatistics.Summary throttled = windows.current(CapacitySampler.THROTTLED_SHARE);
		Verdict throttleVerdict = Verdict.of(throttled.median(), cpu.throttledShareWarn(), cpu.throttledShareCritical());
		Verdict verdict = gcVerdict.worse(quotaVerdict).worse(throttleVerdict);
		Map<String, Object> figures = new LinkedHashMap<>();
		figures.put("gcShare", windows.statistics(CapacitySampler.GC_SHARE, "ratio"));
		figures.put("gcShareVerdict", gcVerdict.label());
		figures.put("cpuCores", windows.statistics(CapacitySampler.CPU_CORES, "cores"));
		figures.put("cpuLimit", number(limits.cpuLimit()));
		figures.put("quotaUtilization", number(quotaUtilization));
		figures.put("quotaVerdict", quotaVerdict.label());
		figures.put("headroom", cpu.headroom());
		figures.put("throttledShare", windows.statistics(CapacitySampler.THROTTLED_SHARE, "ratio"));
		figures.put("throttledVerdict", throttleVerdict.label());
		figures.put("availableProcessors", limits.availableProcessors());
		figures.put("collector", limits.collector());
		String window = DurationFormat.format(windows.first());
		String rule = "the worst of: GC share of the process's CPU (median) against " + cpu.gcShareWarn() + " / "
				+ cpu.gcShareCritical() + "; p99 CPUs used / the cgroup's CPU quota, warning when p99 x "
				+ cpu.headroom() + " no longer fits it; the share of scheduling periods the kernel throttled "
				+ "(median) against " + cpu.throttledShareWarn() + " / " + cpu.throttledShareCritical() + "; over "
				+ window;
		if (quotaVerdict.known() && quotaVerdict == verdict && quotaVerdict != Verdict.OK) {
			return new Budget(verdict, rule, quotaWarn, quotaCritical, "ratio", quotaUtilization,
					"Raise the CPU limit to at least " + cores(cores.p99() * cpu.headroom()) + " (p99 "
							+ cores(cores.p99()) + " x " + cpu.headroom() + ", quota " + cores(limits.cpuLimit())
							+ "), or reduce CPU use",
					figures);
		}
		if (throttleVerdict.known() && throttleVerdict == verdict && throttleVerdict != Verdict.OK) {
			return new Budget(verdict, rule, cpu.throttledShareWarn(), cpu.throttledShareCritical(), "ratio",
					throttled.median(), "The kernel held the process back in " + percent(throttled.median())
							+ " of scheduling periods: raise or remove the CPU limit (Kubernetes: a request without a "
							+ "limit), or spread bursts of CPU work over fewer threads",
					figures);
		}
		String recommendation = switch (verdict) {
			case OK -> "GC uses " + percent(share.median()) + " of CPU"
					+ (quotaVerdict.known() ? ", p99 CPU use fits the quota with headroom" : "")
					+ (throttleVerdict.known() ? ", little throttling" : "") + ": nothing to do";
			case WARN, CRITICAL -> "Raise the heap target or reduce allocation: GC uses " + percent(share.median())
					+ " of the process's CPU";
			case UNKNOWN, INSUFFICIENT_DATA -> "Not known yet: needs two samples and per-thread CPU figures "
					+ "(Linux /proc/self/task/*/schedstat)";
		};
		return new Budget(verdict, rule, cpu.gcShareWarn(), cpu.gcShareCritical(), "ratio", share.median(),
				recommendation, figures);
	}

	private static String shared(CapacitySampler.Limits limits) {
		return "The cgroup also holds " + limits.otherProcesses() + " other process"
				+ ((limits.otherProcesses() == 1) ? "" : "es") + ": ";
	}

	private static String cores(double cores) {
		return String.format(Locale.ROOT, "%.2f CPUs", cores);
	}

	/**
	 * Utilization above which a budget with this headroom warns: the peak times the headroom
	 * no longer fits the limit.
	 */
	private static double warnUtilization(double headroom) {
		return 1.0 / headroom;
	}

	/**
	 * Utilization above which a budget is critical: 90% of the limit, or halfway from the
	 * warning to the limit when the headroom is so small that the warning is above 90%.
	 */
	private static double criticalUtilization(double headroom) {
		return Math.max(CRITICAL_UTILIZATION, (1.0 + warnUtilization(headroom)) / 2);
	}

	private static Budget memory(CapacitySettings settings, CapacitySampler.Limits limits, Windows windows) {
		double headroom = settings.memory().headroom();
		double warn = warnUtilization(headroom);
		double critical = criticalUtilization(headroom);
		RollingStatistics.Summary workingSet = windows.current(CapacitySampler.WORKING_SET);
		RollingStatistics.Summary heap = windows.current(CapacitySampler.HEAP_AFTER_GC);
		double containerUtilization = workingSet.peak() / limits.memoryLimit();
		double heapUtilization = heap.peak() / limits.maxHeap();
		Verdict containerVerdict = Verdict.of(containerUtilization, warn, critical);
		Verdict heapVerdict = Verdict.of(heapUtilization, warn, critical);
		Verdict verdict = containerVerdict.worse(heapVerdict);
		String recommendation;
		if (containerVerdict == Verdict.WARN || containerVerdict == Verdict.CRITICAL) {
			recommendation = "Raise the container memory limit to at least " + mib(workingSet.peak() * headroom)
					+ " (peak working set " + mib(workingSet.peak()) + " x " + headroom + "), or reduce heap or native "
					+ "memory";
		}
		else if (heapVerdict == Verdict.WARN || heapVerdict == Verdict.CRITICAL) {
			recommendation = "Raise the maximum heap (-Xmx) to at least " + mib(heap.peak() * headroom)
					+ " (peak heap after GC " + mib(heap.peak()) + " x " + headroom + "), or reduce live data";
		}
		else if (verdict == Verdict.OK) {
			recommendation = "Peak memory with " + headroom + "x headroom fits its limits: nothing to do";
		}
		else {
			recommendation = "Not known yet: needs a sample of the working set or a garbage collection, and a limit";
		}
		if (limits.otherProcesses() > 0) {
			recommendation = shared(limits) + "the cgroup's working set less their resident sets (at least this "
					+ "JVM's resident set) is judged against the cgroup's limit. " + recommendation;
		}
		Map<String, Object> figures = new LinkedHashMap<>();
		figures.put("workingSet", windows.statistics(CapacitySampler.WORKING_SET, "bytes"));
		figures.put("otherProcessesInCgroup", limits.otherProcesses());
		figures.put("heapAfterGc", windows.statistics(CapacitySampler.HEAP_AFTER_GC, "bytes"));
		figures.put("containerLimit", number(limits.memoryLimit()));
		figures.put("maxHeap", number(limits.maxHeap()));
		figures.put("containerUtilization", number(containerUtilization));
		figures.put("heapUtilization", number(heapUtilization));
		figures.put("headroom", headroom);
		double value = Double.isNaN(containerUtilization) ? heapUtilization
				: (Double.isNaN(heapUtilization) ? containerUtilization
						: Math.max(containerUtilization, heapUtilization));
		return new Budget(verdict, "peak / limit over " + DurationFormat.format(windows.first())
				+ ", for the working set against the container limit and for the heap after GC against the maximum "
				+ "heap; warns when the peak x " + headroom + " no longer fits the limit", warn, critical, "ratio",
				value, recommendation, figures);
	}

	private static Budget threads(CapacitySettings settings, CapacitySampler.Limits limits, Windows windows) {
		double headroom = settings.threads().headroom();
		double warn = warnUtilization(headroom);
		double critical = criticalUtilization(headroom);
		RollingStatistics.Summary live = windows.current(CapacitySampler.LIVE_THREADS);
		double limit = limits.threads().limit();
		double utilization = live.p99() / limit;
		Verdict verdict = Verdict.of(utilization, warn, critical);
		String recommendation = switch (verdict) {
			case OK -> "p99 threads x " + headroom + " fits the limit of " + (long) limit + ": nothing to do";
			case WARN, CRITICAL -> "Bound the thread pools or run blocking work on virtual threads: p99 threads "
					+ whole(live.p99()) + " x " + headroom + " exceeds the limit of " + (long) limit;
			case UNKNOWN, INSUFFICIENT_DATA -> "Not known yet: no samples";
		};
		if (limits.otherProcesses() > 0 && limits.threads().source().startsWith("cgroup")) {
			recommendation = shared(limits) + "their threads count against pids.max too, and only this JVM's are "
					+ "counted here. " + recommendation;
		}
		Map<String, Object> figures = new LinkedHashMap<>();
		figures.put("liveThreads", windows.statistics(CapacitySampler.LIVE_THREADS, "threads"));
		figures.put("otherProcessesInCgroup", limits.otherProcesses());
		if (windows.has(CapacitySampler.VIRTUAL_MOUNTED)) {
			figures.put("virtualThreadsMounted", windows.statistics(CapacitySampler.VIRTUAL_MOUNTED, "threads"));
			figures.put("virtualThreadsQueued", windows.statistics(CapacitySampler.VIRTUAL_QUEUED, "threads"));
		}
		figures.put("limit", limits.threads().limit());
		figures.put("limitSource", limits.threads().source());
		figures.put("headroom", headroom);
		return new Budget(verdict, "p99 threads / thread limit over " + DurationFormat.format(windows.first()) + "; warns when p99 x "
				+ headroom + " no longer fits the limit", warn, critical, "ratio", utilization, recommendation, figures);
	}

	private static Budget latency(CapacitySettings settings, Windows windows,
			Map<String, RollingStatistics.Summary[]> executorWaits) {
		double target = settings.latency().queueWaitTarget().toNanos() / 1e9;
		String worstExecutor = null;
		double worst = Double.NaN;
		Map<String, Object> executors = new LinkedHashMap<>();
		for (Map.Entry<String, RollingStatistics.Summary[]> executor : executorWaits.entrySet()) {
			RollingStatistics.Summary current = executor.getValue()[0];
			if (!current.isEmpty() && (Double.isNaN(worst) || current.median() > worst)) {
				worst = current.median();
				worstExecutor = executor.getKey();
			}
			executors.put(executor.getKey(), windows.statistics(executor.getValue(), "seconds"));
		}
		Verdict queueVerdict = Verdict.of(worst, target, QUEUE_WAIT_CRITICAL_FACTOR * target);
		RollingStatistics.Summary runQueue = windows.current(CapacitySampler.RUN_QUEUE_WAIT);
		double runQueueWarn = settings.latency().runQueueWaitWarn();
		double runQueueCritical = RUN_QUEUE_CRITICAL_FACTOR * runQueueWarn;
		Verdict runQueueVerdict = Verdict.of(runQueue.median(), runQueueWarn, runQueueCritical);
		Verdict verdict = queueVerdict.worse(runQueueVerdict);
		String recommendation;
		if (verdict == Verdict.WARN || verdict == Verdict.CRITICAL) {
			String why = (queueVerdict == verdict && worstExecutor != null)
					? "executor '" + worstExecutor + "' queue-wait p99 is " + millis(worst) + " (target "
							+ millis(target) + ")"
					: "on average " + String.format(Locale.ROOT, "%.2f", runQueue.median())
							+ " threads per CPU were waiting for one";
			recommendation = "Reduce concurrent work or add CPUs: " + why;
		}
		else if (verdict == Verdict.OK) {
			recommendation = "Work starts promptly: nothing to do";
		}
		else {
			recommendation = "Not known yet: no executor has run a task and no run-queue figures were sampled";
		}
		Map<String, Object> figures = new LinkedHashMap<>();
		figures.put("queueWaitP99", executors);
		figures.put("worstExecutor", worstExecutor);
		figures.put("runQueueWaitPerCpu", windows.statistics(CapacitySampler.RUN_QUEUE_WAIT, "threads"));
		figures.put("runQueueWaitVerdict", runQueueVerdict.label());
		figures.put("runQueueWaitWarn", runQueueWarn);
		figures.put("runQueueWaitCritical", runQueueCritical);
		if (Double.isNaN(worst)) {
			return new Budget(verdict, "no executor has run a task: threads waiting for a CPU per available processor "
					+ "(median) over " + DurationFormat.format(windows.first()), runQueueWarn, runQueueCritical, "threads",
					runQueue.median(), recommendation, figures);
		}
		return new Budget(verdict, "worst executor's queue-wait p99, steady state (median of each interval's p99) over "
				+ DurationFormat.format(windows.first()) + ", against the target; and threads waiting for a CPU per available "
				+ "processor (median) against its own thresholds", target, QUEUE_WAIT_CRITICAL_FACTOR * target, "seconds",
				worst,
				recommendation, figures);
	}

	private static Budget gc(CapacitySampler.Limits limits, Windows windows) {
		double target = limits.gcPauseTarget().toNanos() / 1e9;
		RollingStatistics.Summary pauses = windows.current(CapacitySampler.GC_PAUSE_P99);
		double value = pauses.isEmpty() ? ((windows.samples() > 0) ? 0.0 : Double.NaN) : pauses.p99();
		Verdict verdict = Verdict.of(value, target, GC_PAUSE_CRITICAL_FACTOR * target);
		String recommendation = switch (verdict) {
			case OK -> "GC pauses are within the " + millis(target) + " target: nothing to do";
			case WARN, CRITICAL -> "Shorten GC pauses: raise the heap, reduce allocation or live data, or use a "
					+ "low-pause collector (ZGC); pause p99 is " + millis(value) + " against " + millis(target);
			case UNKNOWN, INSUFFICIENT_DATA -> "Not known yet: no samples";
		};
		Map<String, Object> figures = new LinkedHashMap<>();
		figures.put("pauseP99", windows.statistics(CapacitySampler.GC_PAUSE_P99, "seconds"));
		figures.put("pauseMax", windows.statistics(CapacitySampler.GC_PAUSE_MAX, "seconds"));
		// what System.gc(), POST /actuator/diag/gc or jcmd GC.run cost: asked for, not judged
		figures.put("explicitPauseMax", windows.statistics(CapacitySampler.EXPLICIT_GC_PAUSE_MAX, "seconds"));
		figures.put("collector", limits.collector());
		return new Budget(verdict, "p99 of GC pauses over " + DurationFormat.format(windows.first()) + " against the pause target of "
				+ limits.collector() + "; collections something asked for (System.gc(), POST /actuator/diag/gc, jcmd "
				+ "GC.run) are left out and shown as explicitPauseMax", target, GC_PAUSE_CRITICAL_FACTOR * target, "seconds", value, recommendation, figures);
	}

	/**
	 * The statistics of every input, by window.
	 */
	private static final class Windows {

		private final CapacitySettings settings;

		private final Map<String, RollingStatistics.Summary[]> inputs;

		Windows(CapacitySettings settings, Map<String, RollingStatistics.Summary[]> inputs) {
			this.settings = settings;
			this.inputs = inputs;
		}

		Duration first() {
			return this.settings.windows().get(0);
		}

		RollingStatistics.Summary current(String input) {
			return this.inputs.get(input)[0];
		}

		boolean has(String input) {
			return !current(input).isEmpty();
		}

		long samples() {
			long most = 0;
			for (RollingStatistics.Summary[] summaries : this.inputs.values()) {
				most = Math.max(most, summaries[0].samples());
			}
			return most;
		}

		Map<String, Object> statistics(String input, String unit) {
			return statistics(this.inputs.get(input), unit);
		}

		Map<String, Object> statistics(RollingStatistics.Summary[] summaries, String unit) {
			Map<String, Object> byWindow = new LinkedHashMap<>();
			for (int i = 0; i < summaries.length; i++) {
				RollingStatistics.Summary summary = summaries[i];
				Map<String, Object> statistics = new LinkedHashMap<>();
				statistics.put("median", number(summary.median()));
				statistics.put("p99", number(summary.p99()));
				statistics.put("peak", number(summary.peak()));
				statistics.put("samples", summary.samples());
				byWindow.put(DurationFormat.format(this.settings.windows().get(i)), statistics);
			}
			byWindow.put("unit", unit);
			return byWindow;
		}

	}

}
