package dev.diagkit.memory;

import java.nio.file.Path;

import dev.diagkit.runtime.KernelFixtures;
import dev.diagkit.runtime.ProcessThreadTimes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@link GcCpuShare} against task directories in the kernel's format: the collector's share
 * of what a busy process used, and of at least a tenth of a core for an idle one.
 */
class GcCpuShareTests {

	@TempDir
	Path proc;

	@Test
	void aBusyProcessesShareIsTheCollectorsPartOfItsCpu() {
		thread(101, "GC Thread#0", 1_000_000_000L);
		thread(102, "worker-1", 1_000_000_000L);
		GcCpuShare share = new GcCpuShare(new ProcessThreadTimes(this.proc, false, () -> -1));
		// three seconds of CPU within a few milliseconds of wall time
		thread(101, "GC Thread#0", 2_000_000_000L);
		thread(102, "worker-1", 3_000_000_000L);
		assertThat(share.getAsDouble()).isEqualTo(1.0 / 3, within(1e-9));
	}

	@Test
	void anIdleProcessesShareIsMeasuredAgainstATenthOfACore() throws Exception {
		thread(201, "ZWorker#0", 1_000_000_000L);
		thread(202, "worker-1", 1_000_000_000L);
		GcCpuShare share = new GcCpuShare(new ProcessThreadTimes(this.proc, false, () -> -1));
		Thread.sleep(1000);
		// 30 ms of CPU in over a second, 20 of them the collector's: 67% of what the process used
		thread(201, "ZWorker#0", 1_020_000_000L);
		thread(202, "worker-1", 1_010_000_000L);
		assertThat(share.getAsDouble()).isGreaterThan(0).isLessThanOrEqualTo(0.02 / GcCpuShare.MIN_BUSY_CORES);
	}

	private void thread(int tid, String comm, long cpuNanos) {
		KernelFixtures.write(this.proc, "self/task/" + tid + "/comm", comm + "\n");
		KernelFixtures.write(this.proc, "self/task/" + tid + "/schedstat", cpuNanos + " 0 42\n");
	}

}
