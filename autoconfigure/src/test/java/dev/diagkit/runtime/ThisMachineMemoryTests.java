package dev.diagkit.runtime;

import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads the real files of the machine the tests run on, asserting only what holds on every
 * machine: nothing throws, and what is present is in range.
 */
class ThisMachineMemoryTests {

	@Test
	void cgroupMemoryValuesAreNonNegativeWhenPresent() {
		ProcessCgroup cgroup = ProcessCgroup.forThisProcess();
		assertThat(cgroup.layout()).isNotNull();
		CgroupMemory.Snapshot snapshot = CgroupMemory.of(cgroup).read();
		assertNonNegative(snapshot.usage());
		assertNonNegative(snapshot.anon());
		assertNonNegative(snapshot.file());
		assertNonNegative(snapshot.inactiveFile());
		assertNonNegative(snapshot.workingSet());
		snapshot.limit().ifPresent((limit) -> assertThat(limit).isPositive());
	}

	@Test
	void processMemoryIsNonNegativeWhenPresent() {
		ProcessMemory memory = ProcessMemory.forThisProcess();
		assertNonNegative(memory.rss());
		assertNonNegative(memory.peakRss());
	}

	@Test
	void pressureIsInRangeWhenPresent() {
		ProcessCgroup cgroup = ProcessCgroup.forThisProcess();
		for (PressureResource resource : PressureResource.values()) {
			PressureStall.readSystem(ProcessCgroup.PROC_ROOT, resource)
				.ifPresent(ThisMachineMemoryTests::assertInRange);
			cgroup.pressure(resource).ifPresent(ThisMachineMemoryTests::assertInRange);
		}
	}

	private static void assertInRange(PressureStall pressure) {
		assertInRange(pressure.some());
		if (pressure.full() != null) {
			assertInRange(pressure.full());
		}
	}

	private static void assertInRange(PressureStall.Stall stall) {
		assertThat(stall.avg10()).isBetween(0.0, 100.0);
		assertThat(stall.avg60()).isBetween(0.0, 100.0);
		assertThat(stall.avg300()).isBetween(0.0, 100.0);
		assertThat(stall.totalMicros()).isNotNegative();
	}

	private static void assertNonNegative(OptionalLong value) {
		value.ifPresent((bytes) -> assertThat(bytes).isNotNegative());
	}

}
