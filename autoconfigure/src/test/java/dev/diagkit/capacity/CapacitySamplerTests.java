package dev.diagkit.capacity;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import dev.diagkit.autoconfigure.DiagkitCapacityProperties;
import dev.diagkit.runtime.KernelFixtures;
import dev.diagkit.runtime.ProcessThreadTimes;
import dev.diagkit.runtime.QueueWaitRecorder;
import dev.diagkit.testing.Waiting;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

/**
 * The capacity sampler in this JVM: more threads than the budget allows turn the thread
 * budget to warn, a saturated executor turns the latency budget to warn, and the report's
 * JSON has the promised shape. Verdict bands are checked on fixed statistics.
 */
class CapacitySamplerTests {

	@Test
	void moreThreadsThanTheBudgetAllowsWarn() throws Exception {
		int live = processThreads();
		// 40 more threads x 1.5 must exceed the limit, yet stay under 90% of it
		int limit = (int) Math.ceil((live + 40) * 1.5 / 1.1);
		CapacitySettings settings = settings(limit, Duration.ofMillis(1));
		CountDownLatch release = new CountDownLatch(1);
		List<Thread> threads = new ArrayList<>();
		try (CapacitySampler sampler = new CapacitySampler(settings, ProcessThreadTimes.forThisProcess(), null)) {
			sampler.sample();
			assertThat(sampler.report().threads().verdict()).isEqualTo(Verdict.OK);
			for (int i = 0; i < 40; i++) {
				Thread thread = new Thread(() -> Waiting.parkUntilReleased(release), "parked-" + i);
				thread.start();
				threads.add(thread);
			}
			for (int i = 0; i < 5; i++) {
				sampler.sample();
			}
			Budget budget = sampler.report().threads();
			assertThat(budget.verdict()).as(budget.toString()).isEqualTo(Verdict.WARN);
			assertThat(budget.recommendation()).contains("exceeds the limit of " + limit);
		}
		finally {
			release.countDown();
			for (Thread thread : threads) {
				thread.join(5000);
			}
		}
	}

	@Test
	void aSaturatedExecutorWarnsOnLatencyAndACalmOneDoesNot() throws Exception {
		QueueWaitRecorder waits = new QueueWaitRecorder();
		// target 1 ms, critical 10 ms: pairs of 3 ms tasks make the second wait about 3 ms
		CapacitySettings settings = settings(1000, Duration.ofMillis(1));
		ExecutorService executor = Executors.newSingleThreadExecutor();
		double calmWait;
		for (int i = 0; i < 20; i++) {
			submitAndWait(executor, waits, 1, 0);
		}
		try (CapacitySampler sampler = new CapacitySampler(settings, ProcessThreadTimes.forThisProcess(), waits)) {
			sampler.sample();
			for (int interval = 0; interval < 5; interval++) {
				submitAndWait(executor, waits, 1, 0);
				sampler.sample();
			}
			Budget calm = sampler.report().latency();
			assertThat(calm.figures()).containsEntry("worstExecutor", "reports");
			calmWait = calm.value();
		}
		try (CapacitySampler sampler = new CapacitySampler(settings, ProcessThreadTimes.forThisProcess(), waits)) {
			sampler.sample();
			for (int interval = 0; interval < 7; interval++) {
				for (int pair = 0; pair < 5; pair++) {
					submitAndWait(executor, waits, 2, 3);
				}
				sampler.sample();
			}
			Budget busy = sampler.report().latency();
			assertThat(busy.value()).as(busy.toJson().toString()).isBetween(0.001, 0.01).isGreaterThan(calmWait);
			assertThat(busy.verdict()).isIn(Verdict.WARN, Verdict.CRITICAL);
			assertThat(busy.recommendation()).startsWith("Reduce concurrent work or add CPUs");
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void theJsonHasFiveBudgetsWithVerdictThresholdAndRecommendation() {
		try (CapacitySampler sampler = new CapacitySampler(new DiagkitCapacityProperties().toSettings(),
				ProcessThreadTimes.forThisProcess(), null)) {
			sampler.sample();
			Map<String, Object> json = sampler.report().toJson();
			assertThat(json).containsKeys("window", "sampleInterval", "samples", "cpu", "memory", "threads", "latency",
					"gc");
			for (String budget : List.of("cpu", "memory", "threads", "latency", "gc")) {
				assertThat(json.get(budget)).asInstanceOf(InstanceOfAssertFactories.MAP)
					.containsKeys("verdict", "value", "threshold", "recommendation");
			}
			assertThat(json).containsEntry("window", "1h");
			assertThat(sampler.report().toText()).startsWith("capacity over 1h").contains("threads ", "gc ");
		}
	}

	@Test
	void verdictBandsFollowTheThresholds() {
		CapacitySettings settings = new DiagkitCapacityProperties().toSettings();
		CapacitySampler.Limits limits = new CapacitySampler.Limits(1000.0, 1000.0,
				new CapacitySampler.ThreadLimit(100, "test"), 2, "G1", Duration.ofMillis(200));
		assertThat(report(settings, limits, CapacitySampler.GC_SHARE, 0.1).cpu().verdict()).isEqualTo(Verdict.OK);
		assertThat(report(settings, limits, CapacitySampler.GC_SHARE, 0.3).cpu().verdict()).isEqualTo(Verdict.WARN);
		assertThat(report(settings, limits, CapacitySampler.GC_SHARE, 0.6).cpu().verdict())
			.isEqualTo(Verdict.CRITICAL);
		// working set 700 x 1.3 = 910 fits 1000; 800 x 1.3 = 1040 does not; 950 is above 90%
		assertThat(report(settings, limits, CapacitySampler.WORKING_SET, 700).memory().verdict()).isEqualTo(Verdict.OK);
		assertThat(report(settings, limits, CapacitySampler.WORKING_SET, 800).memory().verdict())
			.isEqualTo(Verdict.WARN);
		assertThat(report(settings, limits, CapacitySampler.WORKING_SET, 950).memory().verdict())
			.isEqualTo(Verdict.CRITICAL);
		assertThat(report(settings, limits, CapacitySampler.HEAP_AFTER_GC, 800).memory().recommendation())
			.startsWith("Raise the maximum heap");
		assertThat(report(settings, limits, CapacitySampler.LIVE_THREADS, 60).threads().verdict())
			.isEqualTo(Verdict.OK);
		assertThat(report(settings, limits, CapacitySampler.LIVE_THREADS, 80).threads().verdict())
			.isEqualTo(Verdict.WARN);
		assertThat(report(settings, limits, CapacitySampler.LIVE_THREADS, 95).threads().verdict())
			.isEqualTo(Verdict.CRITICAL);
		assertThat(report(settings, limits, CapacitySampler.GC_PAUSE_P99, 0.1).gc().verdict()).isEqualTo(Verdict.OK);
		assertThat(report(settings, limits, CapacitySampler.GC_PAUSE_P99, 0.3).gc().verdict()).isEqualTo(Verdict.WARN);
		assertThat(report(settings, limits, CapacitySampler.GC_PAUSE_P99, 0.5).gc().verdict())
			.isEqualTo(Verdict.CRITICAL);
		assertThat(report(settings, limits, CapacitySampler.RUN_QUEUE_WAIT, 0.3).latency().verdict())
			.isEqualTo(Verdict.WARN);
		// a quota of 2 CPUs: p99 1.0 x 1.3 fits; 1.7 x 1.3 does not; 1.9 is above 90%
		CapacitySampler.Limits quota = new CapacitySampler.Limits(1000.0, 1000.0,
				new CapacitySampler.ThreadLimit(100, "test"), 2, "G1", Duration.ofMillis(200), 2.0);
		assertThat(report(settings, quota, CapacitySampler.CPU_CORES, 1.0).cpu().verdict()).isEqualTo(Verdict.OK);
		Budget nearQuota = report(settings, quota, CapacitySampler.CPU_CORES, 1.7).cpu();
		assertThat(nearQuota.verdict()).isEqualTo(Verdict.WARN);
		assertThat(nearQuota.recommendation()).startsWith("Raise the CPU limit to at least 2.21 CPUs");
		assertThat(nearQuota.value()).isEqualTo(0.85);
		assertThat(report(settings, quota, CapacitySampler.CPU_CORES, 1.9).cpu().verdict()).isEqualTo(Verdict.CRITICAL);
		// without a quota, CPU use alone judges nothing
		assertThat(report(settings, limits, CapacitySampler.CPU_CORES, 1.9).cpu().verdict()).isEqualTo(Verdict.UNKNOWN);
		Budget throttled = report(settings, quota, CapacitySampler.THROTTLED_SHARE, 0.1).cpu();
		assertThat(throttled.verdict()).isEqualTo(Verdict.WARN);
		assertThat(throttled.recommendation()).startsWith("The kernel held the process back in 10.0% of scheduling periods");
		assertThat(report(settings, quota, CapacitySampler.THROTTLED_SHARE, 0.3).cpu().verdict())
			.isEqualTo(Verdict.CRITICAL);
		assertThat(report(settings, quota, CapacitySampler.THROTTLED_SHARE, 0.01).cpu().verdict()).isEqualTo(Verdict.OK);
		CapacityReport empty = CapacityBudgets.report(settings, limits, inputs(settings, null, 0), Map.of(), 0);
		assertThat(List.of(empty.cpu(), empty.memory(), empty.threads(), empty.latency(), empty.gc()))
			.extracting(Budget::verdict)
			.containsOnly(Verdict.UNKNOWN);
	}

	@Test
	void aBudgetWithLessEvidenceThanItsMinimumSaysWhatItSawInsteadOfAVerdict() {
		CapacitySettings settings = new DiagkitCapacityProperties().toSettings();
		assertThat(settings.minEvidence()).isEqualTo(Duration.ofMinutes(30));
		CapacitySampler.Limits limits = new CapacitySampler.Limits(1000.0, 1000.0,
				new CapacitySampler.ThreadLimit(100, "test"), 2, "G1", Duration.ofMillis(200));
		// two minutes of samples at 10 s with GC at 30% of CPU: a warning if it lasted
		CapacityReport early = CapacityBudgets.report(settings, limits,
				inputs(settings, CapacitySampler.GC_SHARE, 0.3, 12), Map.of(), 12);
		Budget cpu = early.cpu();
		assertThat(cpu.verdict()).isEqualTo(Verdict.INSUFFICIENT_DATA);
		assertThat(cpu.verdict().label()).isEqualTo("insufficient data");
		assertThat(cpu.value()).isEqualTo(0.3);
		assertThat(cpu.recommendation()).startsWith("Not judged yet: samples cover 2m of the 30m")
			.contains("so far warn");
		assertThat(cpu.toJson()).containsEntry("verdict", "insufficient data")
			.extractingByKey("evidence")
			.isEqualTo(Map.of("samples", 12L, "covered", "2m", "needed", "30m", "soFar", "warn"));
		// no samples at all stays unknown
		assertThat(early.threads().verdict()).isEqualTo(Verdict.UNKNOWN);
		CapacityReport enough = CapacityBudgets.report(settings, limits,
				inputs(settings, CapacitySampler.GC_SHARE, 0.3, 180), Map.of(), 180);
		assertThat(enough.cpu().verdict()).isEqualTo(Verdict.WARN);
		assertThat(Verdict.INSUFFICIENT_DATA.worse(Verdict.OK)).isEqualTo(Verdict.OK);
		assertThat(Verdict.UNKNOWN.worse(Verdict.INSUFFICIENT_DATA)).isEqualTo(Verdict.INSUFFICIENT_DATA);
	}

	@Test
	void throttlingBetweenSamplesOfARealCgroupTreeJudgesTheCpuBudget(@TempDir Path dir) throws Exception {
		Path root = KernelFixtures.copy("v2", dir);
		// the binding quota is the parent's, where the kernel counts the throttling
		Path stat = root.resolve("cgroup/system.slice/cpu.stat");
		try (CapacitySampler sampler = new CapacitySampler(settings(1000, Duration.ofMillis(1)),
				ProcessThreadTimes.forThisProcess(), null, root.resolve("proc"), root.resolve("cgroup"))) {
			sampler.sample();
			// 100 more periods, 40 of them throttled
			Files.writeString(stat, "nr_periods 4900\nnr_throttled 1000\nthrottled_usec 14500000\n");
			sampler.sample();
			Budget cpu = sampler.report().cpu();
			assertThat(cpu.verdict()).as(cpu.toString()).isEqualTo(Verdict.CRITICAL);
			assertThat(cpu.value()).isCloseTo(0.4, within(1e-9));
			assertThat(cpu.figures()).containsEntry("cpuLimit", 1.5).containsEntry("throttledVerdict", "critical");
		}
	}

	@Test
	void aCgroupSharedWithOtherProcessesIsJudgedByThisJvmsOwnFigures(@TempDir Path dir) throws Exception {
		Path root = KernelFixtures.copy("v2", dir);
		assertThat(workingSetPeak(root)).isEqualTo(550.0 * 1024 * 1024);
		KernelFixtures.write(root, "cgroup/system.slice/orders.service/cgroup.procs", "101\n202\n303\n");
		try (CapacitySampler sampler = new CapacitySampler(settings(1000, Duration.ofMillis(1)),
				ProcessThreadTimes.forThisProcess(), null, root.resolve("proc"), root.resolve("cgroup"))) {
			sampler.sample();
			Budget memory = sampler.report().memory();
			assertThat(memory.figures()).containsEntry("otherProcessesInCgroup", 2);
			// the others' sizes cannot be read (no /proc/<pid>): VmRSS of the fixture's
			// /proc/self/status, not the cgroup's working set
			assertThat(workingSetPeak(memory)).isEqualTo(598016.0 * 1024);
			assertThat(memory.recommendation()).startsWith("The cgroup also holds 2 other processes: the cgroup's "
					+ "working set less their resident sets (at least this JVM's resident set) is judged");
		}
	}

	@Test
	void aCgroupSharedWithOtherProcessesKeepsThisJvmsPageCacheAndSharedMemory(@TempDir Path dir) throws Exception {
		Path root = KernelFixtures.copy("v2", dir);
		// a working set of 1 GiB: this JVM (584 MiB resident), tini (1 MiB) and a sidecar (100 MiB),
		// and page cache and shared memory the limit counts too
		KernelFixtures.write(root, "cgroup/system.slice/orders.service/memory.current",
				(1024L * 1024 * 1024 + 52428800) + "\n");
		KernelFixtures.write(root, "cgroup/system.slice/orders.service/cgroup.procs", "1\n101\n303\n");
		KernelFixtures.write(root, "proc/1/status", "Name:\ttini\nVmRSS:\t    1024 kB\n");
		KernelFixtures.write(root, "proc/101/status", "Name:\tjava\nVmRSS:\t  598016 kB\n");
		KernelFixtures.write(root, "proc/303/status", "Name:\tsidecar\nVmRSS:\t  102400 kB\n");
		try (CapacitySampler sampler = new CapacitySampler(settings(1000, Duration.ofMillis(1)),
				ProcessThreadTimes.forThisProcess(), null, root.resolve("proc"), root.resolve("cgroup"))) {
			sampler.sample();
			Budget memory = sampler.report().memory();
			assertThat(memory.figures()).containsEntry("otherProcessesInCgroup", 2);
			assertThat(workingSetPeak(memory)).isEqualTo((1024.0 * 1024 - 1024 - 102400) * 1024);
		}
		// a sidecar as large as the rest: never less than this JVM's own resident set
		KernelFixtures.write(root, "proc/303/status", "Name:\tsidecar\nVmRSS:\t  900000 kB\n");
		try (CapacitySampler sampler = new CapacitySampler(settings(1000, Duration.ofMillis(1)),
				ProcessThreadTimes.forThisProcess(), null, root.resolve("proc"), root.resolve("cgroup"))) {
			sampler.sample();
			assertThat(workingSetPeak(sampler.report().memory())).isEqualTo(598016.0 * 1024);
		}
	}

	private static double workingSetPeak(Path root) {
		try (CapacitySampler sampler = new CapacitySampler(settings(1000, Duration.ofMillis(1)),
				ProcessThreadTimes.forThisProcess(), null, root.resolve("proc"), root.resolve("cgroup"))) {
			sampler.sample();
			return workingSetPeak(sampler.report().memory());
		}
	}

	@SuppressWarnings("unchecked")
	private static double workingSetPeak(Budget memory) {
		Map<String, Object> workingSet = (Map<String, Object>) memory.figures().get("workingSet");
		return ((Number) ((Map<String, Object>) workingSet.get("1m")).get("peak")).doubleValue();
	}

	@Test
	void statisticsSurviveARestartInTheirDirectory(@TempDir Path dir) throws Exception {
		CapacitySettings settings = settings(1000, Duration.ofMillis(1));
		long before;
		try (CapacitySampler first = new CapacitySampler(settings, ProcessThreadTimes.forThisProcess(), null)
			.keepStatisticsIn(dir)) {
			for (int i = 0; i < 5; i++) {
				first.sample();
				Thread.sleep(120);
			}
			before = threadSamples(first);
		}
		Path file = dir.resolve(CapacityStatisticsFile.NAME);
		assertThat(file).isRegularFile();
		assertThat(Files.size(file)).isLessThan(1024 * 1024);
		assertThat(temporaries(dir)).isEmpty();
		try (CapacitySampler second = new CapacitySampler(settings, ProcessThreadTimes.forThisProcess(), null)
			.keepStatisticsIn(dir)) {
			assertThat(threadSamples(second)).isEqualTo(before).isPositive();
			second.sample();
			assertThat(threadSamples(second)).isEqualTo(before + 1);
		}
		// another file in its place, or one kept over other windows, is not taken
		Files.writeString(file, "not statistics");
		try (CapacitySampler third = new CapacitySampler(settings, ProcessThreadTimes.forThisProcess(), null)
			.keepStatisticsIn(dir)) {
			assertThat(threadSamples(third)).isZero();
		}
		CapacitySettings otherWindows = new CapacitySettings(Duration.ofMillis(100), List.of(Duration.ofMinutes(5)),
				settings.cpu(), settings.memory(), settings.threads(), settings.latency(), settings.gc());
		try (CapacitySampler fourth = new CapacitySampler(settings, ProcessThreadTimes.forThisProcess(), null)
			.keepStatisticsIn(dir)) {
			fourth.sample();
		}
		try (CapacitySampler fifth = new CapacitySampler(otherWindows, ProcessThreadTimes.forThisProcess(), null)
			.keepStatisticsIn(dir)) {
			assertThat(threadSamples(fifth)).isZero();
		}
	}

	@Test
	void oneSamplerAtATimeKeepsItsStatisticsInADirectory(@TempDir Path dir) throws Exception {
		CapacitySettings settings = settings(1000, Duration.ofMillis(1));
		Path file = dir.resolve(CapacityStatisticsFile.NAME);
		try (CapacitySampler first = new CapacitySampler(settings, ProcessThreadTimes.forThisProcess(), null)
			.keepStatisticsIn(dir)) {
			for (int i = 0; i < 6; i++) {
				first.sample();
			}
			assertThat(file).isRegularFile();
			byte[] written = Files.readAllBytes(file);
			// a second instance of the service on the same host: it neither takes the first
			// one's evidence nor writes over it
			try (CapacitySampler second = new CapacitySampler(settings, ProcessThreadTimes.forThisProcess(), null)
				.keepStatisticsIn(dir)) {
				assertThat(anySamples(second.report().toJson())).isFalse();
				for (int i = 0; i < 12; i++) {
					second.sample();
				}
			}
			assertThat(Files.readAllBytes(file)).isEqualTo(written);
		}
		try (CapacitySampler third = new CapacitySampler(settings, ProcessThreadTimes.forThisProcess(), null)
			.keepStatisticsIn(dir)) {
			assertThat(threadSamples(third)).isEqualTo(6);
		}
	}

	@Test
	void aStatisticsFileCutShortRestoresNothingAndTemporariesOfACrashAreDeleted(@TempDir Path dir)
			throws Exception {
		CapacitySettings settings = settings(1000, Duration.ofMillis(1));
		try (CapacitySampler first = new CapacitySampler(settings, ProcessThreadTimes.forThisProcess(), null)
			.keepStatisticsIn(dir)) {
			for (int i = 0; i < 6; i++) {
				first.sample();
			}
		}
		Path file = dir.resolve(CapacityStatisticsFile.NAME);
		byte[] whole = Files.readAllBytes(file);
		Files.write(file, java.util.Arrays.copyOf(whole, whole.length - 20));
		Path leftover = Files.writeString(dir.resolve(CapacityStatisticsFile.NAME + ".12345.tmp"), "half");
		try (CapacitySampler second = new CapacitySampler(settings, ProcessThreadTimes.forThisProcess(), null)
			.keepStatisticsIn(dir)) {
			assertThat(anySamples(second.report().toJson())).as("restored from a file cut short").isFalse();
			assertThat(leftover).doesNotExist();
		}
	}

	private static List<Path> temporaries(Path dir) throws java.io.IOException {
		try (java.util.stream.Stream<Path> files = Files.list(dir)) {
			return files.filter((file) -> file.getFileName().toString().endsWith(".tmp")).toList();
		}
	}

	/** Whether any statistics in a report's JSON count a sample. */
	private static boolean anySamples(Object json) {
		if (json instanceof Map<?, ?> map) {
			for (Map.Entry<?, ?> entry : map.entrySet()) {
				if ("samples".equals(entry.getKey()) && entry.getValue() instanceof Number number
						&& number.longValue() > 0) {
					return true;
				}
				if (anySamples(entry.getValue())) {
					return true;
				}
			}
		}
		return false;
	}

	@SuppressWarnings("unchecked")
	private static long threadSamples(CapacitySampler sampler) {
		Map<String, Object> liveThreads = (Map<String, Object>) sampler.report().threads().figures().get("liveThreads");
		Map<String, Object> shortest = (Map<String, Object>) liveThreads.values().iterator().next();
		return ((Number) shortest.get("samples")).longValue();
	}

	@Test
	void settingsBuiltInCodeSayWhatIsAccepted() {
		CapacitySettings defaults = new DiagkitCapacityProperties().toSettings();
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new CapacitySettings(Duration.ofSeconds(10), List.of(Duration.ofSeconds(5)),
					defaults.cpu(), defaults.memory(), defaults.threads(), defaults.latency(), defaults.gc()))
			.withMessage("Capacity window must be longer than the sample interval (PT10S), was PT5S");
		assertThatIllegalArgumentException().isThrownBy(() -> new CapacitySettings.Cpu(0.6, 0.5))
			.withMessageContaining("0 < warn < critical <= 1");
		assertThatIllegalArgumentException().isThrownBy(() -> new CapacitySettings.Threads(1.5, 0))
			.withMessage("Capacity thread limit must be positive, was 0");
	}

	/** Threads as the sampler counts them: the kernel's count where there is one. */
	private static int processThreads() throws IOException {
		Path status = Path.of("/proc/self/status");
		if (Files.isReadable(status)) {
			for (String line : Files.readAllLines(status)) {
				if (line.startsWith("Threads:")) {
					return Integer.parseInt(line.substring("Threads:".length()).trim());
				}
			}
		}
		return ManagementFactory.getThreadMXBean().getThreadCount();
	}

	private static CapacityReport report(CapacitySettings settings, CapacitySampler.Limits limits, String input,
			double value) {
		return CapacityBudgets.report(settings, limits, inputs(settings, input, value), Map.of(), 1);
	}

	private static Map<String, RollingStatistics.Summary[]> inputs(CapacitySettings settings, String input,
			double value) {
		return inputs(settings, input, value, 360);
	}

	private static Map<String, RollingStatistics.Summary[]> inputs(CapacitySettings settings, String input,
			double value, long samples) {
		Map<String, RollingStatistics.Summary[]> inputs = new LinkedHashMap<>();
		for (String name : List.of(CapacitySampler.GC_SHARE, CapacitySampler.CPU_CORES, CapacitySampler.THROTTLED_SHARE,
				CapacitySampler.RUN_QUEUE_WAIT,
				CapacitySampler.WORKING_SET, CapacitySampler.HEAP_AFTER_GC, CapacitySampler.LIVE_THREADS,
				CapacitySampler.VIRTUAL_MOUNTED, CapacitySampler.VIRTUAL_QUEUED, CapacitySampler.GC_PAUSE_P99,
				CapacitySampler.GC_PAUSE_MAX, CapacitySampler.EXPLICIT_GC_PAUSE_MAX)) {
			// an hour of samples at the default 10 s: enough evidence for the default settings
			RollingStatistics.Summary summary = name.equals(input)
					? new RollingStatistics.Summary(value, value, value, samples) : RollingStatistics.Summary.EMPTY;
			RollingStatistics.Summary[] windows = new RollingStatistics.Summary[settings.windows().size()];
			Arrays.fill(windows, summary);
			inputs.put(name, windows);
		}
		return inputs;
	}

	private static CapacitySettings settings(int threadLimit, Duration queueWaitTarget) {
		return new CapacitySettings(Duration.ofMillis(100), List.of(Duration.ofMinutes(1), Duration.ofMinutes(10)),
				new CapacitySettings.Cpu(0.25, 0.5), new CapacitySettings.Memory(1.3),
				new CapacitySettings.Threads(1.5, threadLimit), new CapacitySettings.Latency(queueWaitTarget, 0.25),
				new CapacitySettings.Gc(null));
	}

	private static void submitAndWait(ExecutorService executor, QueueWaitRecorder waits, int tasks, long millis)
			throws InterruptedException {
		CountDownLatch done = new CountDownLatch(tasks);
		for (int i = 0; i < tasks; i++) {
			executor.execute(waits.wrap("reports", () -> {
				Waiting.work(millis);
				done.countDown();
			}));
		}
		assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
		Waiting.work(5);
	}

}
