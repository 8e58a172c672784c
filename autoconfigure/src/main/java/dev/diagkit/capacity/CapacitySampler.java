package dev.diagkit.capacity;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import dev.diagkit.runtime.CgroupCpu;
import dev.diagkit.runtime.CgroupMemory;
import dev.diagkit.runtime.GcActivity;
import dev.diagkit.runtime.KernelFiles;
import dev.diagkit.runtime.LatencyHistogram;
import dev.diagkit.runtime.ProcessCgroup;
import dev.diagkit.runtime.ProcessMemory;
import dev.diagkit.runtime.ProcessThreadTimes;
import dev.diagkit.runtime.QueueWaitRecorder;
import dev.diagkit.runtime.VirtualThreadScheduler;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Samples the runtime's capacity inputs at a fixed interval and keeps rolling statistics of
 * each over the configured windows: GC share of CPU, CPU cores used and threads waiting for a CPU
 * per available processor
 * (from {@link ProcessThreadTimes}), working set and heap after GC, live and virtual threads,
 * each executor's queue-wait p99 (from {@link QueueWaitRecorder}) and the GC pause p99 of
 * each interval. {@link #report()} turns them into a {@link CapacityReport}. Memory is fixed:
 * 360 slots per input and window.
 */
public final class CapacitySampler implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(CapacitySampler.class);

	static final String GC_SHARE = "gcShare";

	static final String CPU_CORES = "cpuCores";

	static final String THROTTLED_SHARE = "throttledShare";

	static final String RUN_QUEUE_WAIT = "runQueueWaitPerCpu";

	static final String WORKING_SET = "workingSet";

	static final String HEAP_AFTER_GC = "heapAfterGc";

	static final String LIVE_THREADS = "liveThreads";

	static final String VIRTUAL_MOUNTED = "virtualThreadsMounted";

	static final String VIRTUAL_QUEUED = "virtualThreadsQueued";

	static final String GC_PAUSE_P99 = "gcPauseP99";

	static final String GC_PAUSE_MAX = "gcPauseMax";

	static final String EXPLICIT_GC_PAUSE_MAX = "explicitGcPauseMax";

	private static final int SLOTS = 360;

	private final CapacitySettings settings;

	private final ProcessThreadTimes threadTimes;

	private final boolean threadTimesAvailable;

	private final @Nullable QueueWaitRecorder queueWaits;

	private final CgroupMemory cgroupMemory;

	private final ProcessMemory processMemory;

	private final ProcessCgroup cgroup;

	private final Path statusFile;

	private final GcActivity gc = new GcActivity();

	private final Optional<VirtualThreadScheduler> virtualThreads = VirtualThreadScheduler.find();

	private final Map<String, RollingStatistics[]> inputs = new LinkedHashMap<>();

	private final Map<String, RollingStatistics[]> executorWaits = new LinkedHashMap<>();

	/** Samples between two writes of the statistics file: a minute at the default interval. */
	private static final int SAVE_EVERY = 6;

	private static final String EXECUTOR_PREFIX = "executor:";

	/** Most processes of a shared cgroup whose resident sets are read at each sample. */
	private static final int MAX_PROCESSES_READ = 64;

	private final Path procRoot;

	private @Nullable CapacityStatisticsFile statisticsFile;

	private int samplesSinceSave;

	private boolean saveFailed;

	private final Map<String, LatencyHistogram.Counts> previousWaits = new HashMap<>();

	private LatencyHistogram.Counts previousPauses;

	private LatencyHistogram.Counts previousExplicitPauses;

	private ProcessThreadTimes.@Nullable Snapshot previousTimes;

	private final int processors = Math.max(1, Runtime.getRuntime().availableProcessors());

	private final CgroupCpu cgroupCpu;

	/** Other processes in this JVM's cgroup at the latest sample; 0 when alone or unknown. */
	private int otherProcesses;

	private CgroupCpu.@Nullable Throttling previousThrottling;

	private long samples;

	/**
	 * Creates a sampler of this process.
	 * @param settings the sampling and thresholds
	 * @param threadTimes the per-thread CPU source
	 * @param queueWaits the executor queue waits, or {@code null} when not measured
	 */
	public CapacitySampler(CapacitySettings settings, ProcessThreadTimes threadTimes,
			@Nullable QueueWaitRecorder queueWaits) {
		this(settings, threadTimes, queueWaits, ProcessCgroup.PROC_ROOT, ProcessCgroup.CGROUP_ROOT);
	}

	/**
	 * Creates a sampler that reads kernel files under the given roots.
	 * @param settings the sampling and thresholds
	 * @param threadTimes the per-thread CPU source
	 * @param queueWaits the executor queue waits, or {@code null} when not measured
	 * @param procRoot the root of the proc file system, normally {@code /proc}
	 * @param cgroupRoot where the cgroup file systems are mounted, normally
	 * {@code /sys/fs/cgroup}
	 */
	public CapacitySampler(CapacitySettings settings, ProcessThreadTimes threadTimes,
			@Nullable QueueWaitRecorder queueWaits, Path procRoot, Path cgroupRoot) {
		this.settings = settings;
		this.threadTimes = threadTimes;
		this.threadTimesAvailable = threadTimes.available();
		this.queueWaits = queueWaits;
		this.cgroup = ProcessCgroup.detect(procRoot, cgroupRoot);
		this.cgroupMemory = CgroupMemory.of(this.cgroup);
		this.cgroupCpu = CgroupCpu.of(this.cgroup);
		this.previousThrottling = this.cgroupCpu.throttling().orElse(null);
		this.processMemory = new ProcessMemory(procRoot);
		this.procRoot = procRoot;
		this.statusFile = procRoot.resolve("self").resolve("status");
		this.previousPauses = this.gc.pauses();
		this.previousExplicitPauses = this.gc.explicitPauses();
		for (String input : List.of(GC_SHARE, CPU_CORES, THROTTLED_SHARE, RUN_QUEUE_WAIT, WORKING_SET, HEAP_AFTER_GC,
				LIVE_THREADS, VIRTUAL_MOUNTED, VIRTUAL_QUEUED, GC_PAUSE_P99, GC_PAUSE_MAX, EXPLICIT_GC_PAUSE_MAX)) {
			this.inputs.put(input, windows());
		}
	}

	private RollingStatistics[] windows() {
		return this.settings.windows()
			.stream()
			.map((window) -> new RollingStatistics(window, SLOTS))
			.toArray(RollingStatistics[]::new);
	}

	/**
	 * Returns the settings.
	 * @return the sampling and thresholds
	 */
	public CapacitySettings settings() {
		return this.settings;
	}

	/**
	 * Takes one sample of every input.
	 */
	public synchronized void sample() {
		long now = System.nanoTime();
		if (this.threadTimesAvailable) {
			ProcessThreadTimes.Snapshot times = this.threadTimes.latest(this.settings.sampleInterval().dividedBy(2));
			ProcessThreadTimes.Snapshot before = this.previousTimes;
			if (before != null && times.nanoTime() > before.nanoTime()) {
				double wallSeconds = (times.nanoTime() - before.nanoTime()) / 1e9;
				add(GC_SHARE, times.gcShareSince(before), now);
				add(CPU_CORES, (times.totalCpuSeconds() - before.totalCpuSeconds()) / wallSeconds, now);
				double waited = times.totalRunQueueWaitSeconds() - before.totalRunQueueWaitSeconds();
				add(RUN_QUEUE_WAIT, waited / wallSeconds / this.processors, now);
			}
			this.previousTimes = times;
		}
		CgroupCpu.Throttling throttling = this.cgroupCpu.throttling().orElse(null);
		CgroupCpu.Throttling throttlingBefore = this.previousThrottling;
		if (throttling != null && throttlingBefore != null && throttling.periods() > throttlingBefore.periods()) {
			add(THROTTLED_SHARE, (double) (throttling.throttledPeriods() - throttlingBefore.throttledPeriods())
					/ (throttling.periods() - throttlingBefore.periods()), now);
		}
		this.previousThrottling = throttling;
		long[] processes = this.cgroupMemory.processIds();
		this.otherProcesses = Math.max(0, processes.length - 1);
		add(WORKING_SET, workingSet(processes), now);
		long heapAfterGc = this.gc.heapAfterGc();
		add(HEAP_AFTER_GC, (heapAfterGc >= 0) ? heapAfterGc : Double.NaN, now);
		add(LIVE_THREADS, processThreads(), now);
		this.virtualThreads.ifPresent((scheduler) -> {
			add(VIRTUAL_MOUNTED, scheduler.mounted(), now);
			add(VIRTUAL_QUEUED, scheduler.queued(), now);
		});
		LatencyHistogram.Counts pauses = this.gc.pauses();
		LatencyHistogram.Counts newPauses = pauses.since(this.previousPauses);
		this.previousPauses = pauses;
		if (newPauses.count() > 0) {
			add(GC_PAUSE_P99, newPauses.percentileSeconds(0.99), now);
			add(GC_PAUSE_MAX, newPauses.maxSeconds(), now);
		}
		LatencyHistogram.Counts explicitPauses = this.gc.explicitPauses();
		LatencyHistogram.Counts newExplicit = explicitPauses.since(this.previousExplicitPauses);
		this.previousExplicitPauses = explicitPauses;
		if (newExplicit.count() > 0) {
			add(EXPLICIT_GC_PAUSE_MAX, newExplicit.maxSeconds(), now);
		}
		if (this.queueWaits != null) {
			this.queueWaits.snapshots().forEach((executor, counts) -> {
				LatencyHistogram.Counts before = this.previousWaits.getOrDefault(executor,
						LatencyHistogram.Counts.empty());
				LatencyHistogram.Counts interval = counts.since(before);
				this.previousWaits.put(executor, counts);
				if (interval.count() > 0) {
					RollingStatistics[] statistics = this.executorWaits.computeIfAbsent(executor, (e) -> windows());
					for (RollingStatistics window : statistics) {
						window.add(interval.percentileSeconds(0.99), now);
					}
				}
			});
		}
		this.samples++;
		if (this.statisticsFile != null && ++this.samplesSinceSave >= SAVE_EVERY) {
			this.samplesSinceSave = 0;
			save();
		}
	}

	/**
	 * The memory judged against the cgroup's limit: the cgroup's working set, or, when other
	 * processes share the cgroup, the working set less their resident sets (the page cache and
	 * shared memory stay with this JVM, as the limit counts them too), and never less than
	 * this JVM's own resident set. When the others' sizes cannot all be read (too many of
	 * them, one gone or not readable), this JVM's resident set alone.
	 */
	private double workingSet(long[] processes) {
		OptionalLong workingSet = this.cgroupMemory.workingSet();
		OptionalLong own = this.processMemory.rss();
		if (processes.length <= 1 || workingSet.isEmpty()) {
			return workingSet.isPresent() ? workingSet.getAsLong() : or(own);
		}
		if (own.isEmpty() || processes.length > MAX_PROCESSES_READ) {
			return or(own);
		}
		long all = 0;
		for (long pid : processes) {
			OptionalLong resident = ProcessMemory.ofProcess(this.procRoot, pid).rss();
			if (resident.isEmpty()) {
				return own.getAsLong();
			}
			all += resident.getAsLong();
		}
		long others = Math.max(0, all - own.getAsLong());
		return Math.max(own.getAsLong(), workingSet.getAsLong() - others);
	}

	/**
	 * Keeps the statistics in {@code directory}: reads what a previous run of the service left
	 * there (slots still within their window), writes them every {@value #SAVE_EVERY} samples
	 * and when the sampler closes. While another sampler (another instance of the service on
	 * the same host) keeps its statistics there, this one keeps them in memory only, with a
	 * warning.
	 * @param directory the directory, created if needed
	 * @return this sampler
	 */
	public synchronized CapacitySampler keepStatisticsIn(Path directory) {
		if (this.statisticsFile != null) {
			throw new IllegalStateException("Capacity statistics are kept in " + this.statisticsFile.path()
					+ " already");
		}
		CapacityStatisticsFile file;
		try {
			file = CapacityStatisticsFile.open(directory);
		}
		catch (IOException | RuntimeException ex) {
			logger.warn("Capacity statistics cannot be kept in " + directory + ", they stay in memory: " + ex);
			return this;
		}
		if (file == null) {
			logger.warn("Capacity statistics cannot be kept in " + directory + ": another capacity sampler (another "
					+ "instance of the service on this host?) keeps its statistics there; they stay in memory. Give "
					+ "each instance a directory of its own (diagkit.capacity.statistics-directory)");
			return this;
		}
		this.statisticsFile = file;
		try {
			boolean read = file.read(this.settings.windows(), this.inputs, this::restoredExecutorWindows,
					System.nanoTime(), System.currentTimeMillis());
			if (read) {
				logger.info("Capacity statistics restored from " + file.path());
			}
			else if (Files.isRegularFile(file.path())) {
				logger.info("Capacity statistics in " + file.path() + " were kept over other windows; starting afresh");
			}
		}
		catch (IOException | RuntimeException ex) {
			logger.warn("Capacity statistics in " + file.path() + " cannot be read, starting afresh: " + ex);
		}
		return this;
	}

	/** The windows a saved {@code executor:<name>} input goes back into, while there is room. */
	private RollingStatistics @Nullable [] restoredExecutorWindows(String input) {
		if (!input.startsWith(EXECUTOR_PREFIX) || this.executorWaits.size() >= CapacityStatisticsFile.MAX_EXECUTORS) {
			return null;
		}
		return this.executorWaits.computeIfAbsent(input.substring(EXECUTOR_PREFIX.length()), (executor) -> windows());
	}

	private void save() {
		CapacityStatisticsFile file = this.statisticsFile;
		if (file == null) {
			return;
		}
		Map<String, RollingStatistics[]> all = new LinkedHashMap<>(this.inputs);
		this.executorWaits.entrySet()
			.stream()
			.limit(CapacityStatisticsFile.MAX_EXECUTORS)
			.forEach((executor) -> all.put(EXECUTOR_PREFIX + executor.getKey(), executor.getValue()));
		try {
			file.write(this.settings.windows(), all, System.nanoTime(), System.currentTimeMillis());
			this.saveFailed = false;
		}
		catch (IOException | RuntimeException ex) {
			if (!this.saveFailed) {
				logger.warn("Capacity statistics cannot be written to " + file.path() + ": " + ex);
			}
			this.saveFailed = true;
		}
	}

	private static double or(OptionalLong value) {
		return value.isPresent() ? value.getAsLong() : Double.NaN;
	}

	private void add(String input, double value, long now) {
		for (RollingStatistics window : this.inputs.get(input)) {
			window.add(value, now);
		}
	}

	/**
	 * Builds the report from the statistics so far.
	 * @return the report
	 */
	public synchronized CapacityReport report() {
		long now = System.nanoTime();
		Map<String, RollingStatistics.Summary[]> summaries = new LinkedHashMap<>();
		this.inputs.forEach((input, windows) -> summaries.put(input, summarize(windows, now)));
		Map<String, RollingStatistics.Summary[]> waits = new LinkedHashMap<>();
		this.executorWaits.forEach((executor, windows) -> waits.put(executor, summarize(windows, now)));
		Limits limits = new Limits(or(this.cgroupMemory.limit()), maxHeap(), threadLimit(),
				ManagementFactory.getOperatingSystemMXBean().getAvailableProcessors(), collector(), gcPauseTarget(),
				this.cgroupCpu.limit().orElse(Double.NaN), this.otherProcesses);
		return CapacityBudgets.report(this.settings, limits, summaries, waits, this.samples);
	}

	private static RollingStatistics.Summary[] summarize(RollingStatistics[] windows, long now) {
		RollingStatistics.Summary[] summaries = new RollingStatistics.Summary[windows.length];
		for (int i = 0; i < windows.length; i++) {
			summaries[i] = windows[i].summary(now);
		}
		return summaries;
	}

	private static double maxHeap() {
		long max = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax();
		return (max > 0) ? max : Double.NaN;
	}

	/**
	 * Counts the process's threads as the kernel does ({@code Threads:} of
	 * {@code /proc/self/status}: the JVM's own GC and compiler threads too, which count
	 * against {@code pids.max}), or the JVM's live threads where that file is missing.
	 */
	private double processThreads() {
		Map<String, Long> status = KernelFiles.readKeyedLongs(this.statusFile);
		Long threads = (status != null) ? status.get("Threads:") : null;
		return (threads != null) ? threads : ManagementFactory.getThreadMXBean().getThreadCount();
	}

	private ThreadLimit threadLimit() {
		Optional<Path> directory = this.cgroup.controllerDirectory("pids").or(this.cgroup::unifiedDirectory);
		long limit = Long.MAX_VALUE;
		Path current = directory.orElse(null);
		// like memory.max, the lowest pids.max of the cgroup and its ancestors applies
		for (int i = 0; i < 64 && current != null && Files.isRegularFile(current.resolve("pids.max")); i++) {
			OptionalLong value = KernelFiles.readLong(current.resolve("pids.max"));
			if (value.isPresent() && value.getAsLong() > 0) {
				limit = Math.min(limit, value.getAsLong());
			}
			current = current.getParent();
		}
		if (limit != Long.MAX_VALUE) {
			return new ThreadLimit(limit, "cgroup pids.max");
		}
		return new ThreadLimit(this.settings.threads().limit(), "diagkit.capacity.threads.limit");
	}

	static String collector() {
		List<String> names = new ArrayList<>();
		for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
			names.add(gc.getName());
		}
		String all = String.join(",", names);
		if (all.contains("G1")) {
			return "G1";
		}
		if (all.contains("ZGC")) {
			return "ZGC";
		}
		if (all.contains("Shenandoah")) {
			return "Shenandoah";
		}
		if (all.contains("PS ")) {
			return "Parallel";
		}
		if (all.contains("MarkSweepCompact") || all.contains("Copy")) {
			return "Serial";
		}
		return all.isEmpty() ? "none" : all;
	}

	private Duration gcPauseTarget() {
		Duration configured = this.settings.gc().pauseTarget();
		if (configured != null) {
			return configured;
		}
		return switch (collector()) {
			case "G1" -> Duration.ofMillis(maxGcPauseMillis());
			case "ZGC" -> Duration.ofMillis(2);
			case "Shenandoah" -> Duration.ofMillis(10);
			default -> Duration.ofSeconds(1);
		};
	}

	private static long maxGcPauseMillis() {
		try {
			HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
			VMOption option = hotSpot.getVMOption("MaxGCPauseMillis");
			return Long.parseLong(option.getValue());
		}
		catch (RuntimeException | LinkageError ex) {
			return 200;
		}
	}

	/**
	 * Stops listening to garbage collections.
	 */
	@Override
	public void close() {
		synchronized (this) {
			save();
			CapacityStatisticsFile file = this.statisticsFile;
			this.statisticsFile = null;
			if (file != null) {
				try {
					file.close();
				}
				catch (IOException ex) {
					logger.debug("Capacity statistics lock not released cleanly", ex);
				}
			}
		}
		this.gc.close();
	}

	/**
	 * The limits budgets are measured against.
	 */
	record Limits(double memoryLimit, double maxHeap, ThreadLimit threads, int availableProcessors, String collector,
			Duration gcPauseTarget, double cpuLimit, int otherProcesses) {

		Limits(double memoryLimit, double maxHeap, ThreadLimit threads, int availableProcessors, String collector,
				Duration gcPauseTarget, double cpuLimit) {
			this(memoryLimit, maxHeap, threads, availableProcessors, collector, gcPauseTarget, cpuLimit, 0);
		}

		Limits(double memoryLimit, double maxHeap, ThreadLimit threads, int availableProcessors, String collector,
				Duration gcPauseTarget) {
			this(memoryLimit, maxHeap, threads, availableProcessors, collector, gcPauseTarget, Double.NaN);
		}

	}

	/**
	 * The thread limit and where it comes from.
	 */
	record ThreadLimit(long limit, String source) {

	}

}
