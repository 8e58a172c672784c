package dev.diagkit.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import dev.diagkit.testing.Work;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * {@link ProcessThreadTimes} against task directories in the kernel's format, and against
 * this JVM's own {@code /proc/self/task}.
 */
class ProcessThreadTimesTests {

	@TempDir
	Path proc;

	@Test
	void classifiesThreadsAndAddsWhatEachUsedSinceThePreviousScan() {
		thread(101, "GC Thread#0", 2_000_000_000L, 100_000_000L);
		thread(102, "C2 CompilerThre", 1_000_000_000L, 0);
		thread(103, "http-nio-8080-e", 5_000_000_000L, 300_000_000L);
		thread(104, "VM Thread", 500_000_000L, 0);
		ProcessThreadTimes times = new ProcessThreadTimes(this.proc, false, () -> -1);
		assertThat(times.available()).isTrue();
		ProcessThreadTimes.Snapshot first = times.refresh();
		assertThat(first.cpuSeconds(ThreadClass.GC)).isEqualTo(2.0, within(1e-9));
		assertThat(first.cpuSeconds(ThreadClass.JIT)).isEqualTo(1.0, within(1e-9));
		assertThat(first.cpuSeconds(ThreadClass.VM)).isEqualTo(0.5, within(1e-9));
		assertThat(first.cpuSeconds(ThreadClass.APPLICATION)).isEqualTo(5.0, within(1e-9));
		assertThat(first.runQueueWaitSeconds(ThreadClass.APPLICATION)).isEqualTo(0.3, within(1e-9));

		thread(101, "GC Thread#0", 5_000_000_000L, 100_000_000L);
		thread(103, "http-nio-8080-e", 6_000_000_000L, 500_000_000L);
		ProcessThreadTimes.Snapshot second = times.refresh();
		assertThat(second.cpuSeconds(ThreadClass.GC)).isEqualTo(5.0, within(1e-9));
		assertThat(second.cpuSeconds(ThreadClass.APPLICATION)).isEqualTo(6.0, within(1e-9));
		assertThat(second.gcShareSince(first)).isEqualTo(0.75, within(1e-9));
		assertThat(second.totalRunQueueWaitSeconds() - first.totalRunQueueWaitSeconds()).isEqualTo(0.2, within(1e-9));
		assertThat(times.recentGcShare()).isEqualTo(0.75, within(1e-9));
	}

	@Test
	void aThreadThatEndsKeepsWhatItUsedAndAReusedIdIsANewThread() throws Exception {
		thread(201, "G1 Conc#0", 1_000_000_000L, 0);
		ProcessThreadTimes times = new ProcessThreadTimes(this.proc, false, () -> -1);
		times.refresh();
		Files.delete(this.proc.resolve("self/task/201/schedstat"));
		Files.delete(this.proc.resolve("self/task/201/comm"));
		Files.delete(this.proc.resolve("self/task/201"));
		ProcessThreadTimes.Snapshot afterEnd = times.refresh();
		assertThat(afterEnd.cpuSeconds(ThreadClass.GC)).isEqualTo(1.0, within(1e-9));
		thread(201, "worker-1", 300_000_000L, 0);
		ProcessThreadTimes.Snapshot reused = times.refresh();
		assertThat(reused.cpuSeconds(ThreadClass.GC)).isEqualTo(1.0, within(1e-9));
		assertThat(reused.cpuSeconds(ThreadClass.APPLICATION)).isEqualTo(0.3, within(1e-9));
	}

	@Test
	void applicationCpuIsTheProcessTotalLessTheJvmClassesAndNeverGoesBack() {
		thread(301, "GC Thread#0", 1_000_000_000L, 0);
		thread(302, "main", 1_000_000_000L, 0);
		long[] process = { 4_000_000_000L };
		ProcessThreadTimes times = new ProcessThreadTimes(this.proc, false, () -> process[0]);
		assertThat(times.refresh().cpuSeconds(ThreadClass.APPLICATION)).isEqualTo(3.0, within(1e-9));
		process[0] = 3_500_000_000L;
		assertThat(times.refresh().cpuSeconds(ThreadClass.APPLICATION)).isEqualTo(3.0, within(1e-9));
	}

	@Test
	void aThreadSeenBeforeItNamedItselfIsClassifiedAgain() {
		thread(601, "VM Thread", 1_000_000L, 0);
		ProcessThreadTimes times = new ProcessThreadTimes(this.proc, false, () -> -1);
		times.refresh();
		thread(601, "GC Thread#1", 501_000_000L, 0);
		ProcessThreadTimes.Snapshot named = times.refresh();
		assertThat(named.cpuSeconds(ThreadClass.GC)).isEqualTo(0.5, within(1e-9));
		assertThat(named.cpuSeconds(ThreadClass.VM)).isEqualTo(0.001, within(1e-9));
	}

	@Test
	void theVmThreadCollectsWithTheSerialCollector() {
		thread(401, "VM Thread", 1_000_000_000L, 0);
		assertThat(new ProcessThreadTimes(this.proc, true, () -> -1).refresh().cpuSeconds(ThreadClass.GC))
			.isEqualTo(1.0, within(1e-9));
	}

	@Test
	void missingOrMalformedFilesGiveZeroesNotExceptions() {
		ProcessThreadTimes missing = new ProcessThreadTimes(this.proc.resolve("absent"), false, () -> -1);
		assertThat(missing.available()).isFalse();
		assertThat(missing.refresh().totalCpuSeconds()).isZero();
		KernelFixtures.write(this.proc, "self/task/500/schedstat", "0 0 0\n");
		KernelFixtures.write(this.proc, "self/task/500/comm", "main\n");
		KernelFixtures.write(this.proc, "self/task/501/schedstat", "not numbers\n");
		KernelFixtures.write(this.proc, "self/task/501/comm", "main\n");
		ProcessThreadTimes malformed = new ProcessThreadTimes(this.proc, false, () -> -1);
		assertThat(malformed.available()).isFalse();
		// kernels without scheduler statistics write zeroes: that is not availability
		assertThat(malformed.refresh().totalCpuSeconds()).isZero();
		assertThat(malformed.recentGcShare()).isNaN();
	}

	@Test
	void readsThisJvmsThreads() {
		assumeThat(Path.of("/proc/self/task")).as("Linux /proc/self/task").isDirectory();
		ProcessThreadTimes times = ProcessThreadTimes.forThisProcess();
		assumeThat(times.available()).as("per-thread schedstat (Linux)").isTrue();
		ProcessThreadTimes.Snapshot before = times.refresh();
		assertThat(Work.burnCpuTime(Duration.ofMillis(300))).isNotNegative();
		ProcessThreadTimes.Snapshot after = times.refresh();
		assertThat(after.cpuSeconds(ThreadClass.APPLICATION) - before.cpuSeconds(ThreadClass.APPLICATION))
			.isGreaterThan(0.2);
		assertThat(after.cpuSeconds(ThreadClass.JIT)).isPositive();
	}

	private void thread(int tid, String comm, long cpuNanos, long waitNanos) {
		KernelFixtures.write(this.proc, "self/task/" + tid + "/comm", comm + "\n");
		KernelFixtures.write(this.proc, "self/task/" + tid + "/schedstat", cpuNanos + " " + waitNanos + " 42\n");
	}

}
