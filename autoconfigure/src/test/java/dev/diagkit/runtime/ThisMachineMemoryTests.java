package dev.diagkit.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Reads the real files of the machine the tests run on. On Linux the process's resident set
 * is always there; the cgroup and pressure files are there where the kernel and the mount
 * offer them, and each test says which and skips, never passes vacuously, where they are
 * not.
 */
class ThisMachineMemoryTests {

	private static final Path STATUS = ProcessCgroup.PROC_ROOT.resolve("self").resolve("status");

	@Test
	void processMemoryIsReadOnLinux() {
		assumeThat(Files.isReadable(STATUS)).as("Linux /proc/self/status").isTrue();
		ProcessMemory memory = ProcessMemory.forThisProcess();
		long rss = present(memory.rss(), "rss");
		long peak = present(memory.peakRss(), "peak rss");
		assertThat(rss).as("a JVM's resident set").isGreaterThan(16L * 1024 * 1024);
		assertThat(peak).isGreaterThanOrEqualTo(rss);
	}

	@Test
	void cgroupMemoryIsReadWhereTheProcessHasAMemoryCgroup() {
		ProcessCgroup cgroup = ProcessCgroup.forThisProcess();
		CgroupMemory memory = CgroupMemory.of(cgroup);
		Optional<Path> directory = memory.directory();
		assumeThat(directory).as("a memory cgroup directory for this process (%s)", cgroup).isPresent();
		boolean usageFile = Files.isReadable(directory.get().resolve("memory.current"))
				|| Files.isReadable(directory.get().resolve("memory.usage_in_bytes"));
		assumeThat(usageFile).as("a usage file in %s (the root cgroup has none)", directory.get()).isTrue();
		CgroupMemory.Snapshot snapshot = memory.read();
		long usage = present(snapshot.usage(), "usage");
		assertThat(usage).as("memory charged to the cgroup holds at least this JVM's heap in use")
			.isGreaterThan(Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory());
		long workingSet = present(snapshot.workingSet(), "working set");
		assertThat(workingSet).isBetween(0L, usage);
		snapshot.limit().ifPresent((limit) -> assertThat(limit).as("limit").isGreaterThanOrEqualTo(usage));
	}

	@Test
	void systemPressureIsInRangeWhereTheKernelOffersIt() {
		assumeThat(Files.isReadable(ProcessCgroup.PROC_ROOT.resolve("pressure").resolve("memory")))
			.as("/proc/pressure (a kernel with PSI)")
			.isTrue();
		ProcessCgroup cgroup = ProcessCgroup.forThisProcess();
		for (PressureResource resource : PressureResource.values()) {
			assertInRange(PressureStall.readSystem(ProcessCgroup.PROC_ROOT, resource).orElseThrow());
			Optional<Path> unified = cgroup.unifiedDirectory();
			if (unified.isPresent() && Files.isReadable(unified.get().resolve(resource.cgroupFileName()))) {
				assertInRange(cgroup.pressure(resource).orElseThrow());
			}
		}
	}

	private static void assertInRange(PressureStall pressure) {
		assertInRange(pressure.some());
		if (pressure.full() != null) {
			assertInRange(pressure.full());
		}
	}

	private static long present(OptionalLong value, String what) {
		assertThat(value).as(what).isPresent();
		return value.getAsLong();
	}

	private static void assertInRange(PressureStall.Stall stall) {
		assertThat(stall.avg10()).isBetween(0.0, 100.0);
		assertThat(stall.avg60()).isBetween(0.0, 100.0);
		assertThat(stall.avg300()).isBetween(0.0, 100.0);
		assertThat(stall.totalMicros()).isNotNegative();
	}

}
