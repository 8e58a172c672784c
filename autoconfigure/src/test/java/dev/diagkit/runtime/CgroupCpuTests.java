package dev.diagkit.runtime;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The CPU quota and throttling of a cgroup, read from fixture trees of each layout as the
 * kernel writes them.
 */
class CgroupCpuTests {

	@Test
	void v2ReadsCpuMaxAsCoresTheSmallestOnTheWayUpAndCpuStatInMicroseconds() {
		CgroupCpu cpu = cpu(KernelFixtures.of("v2"));
		assertThat(cpu.source()).isEqualTo(ProcessCgroup.Layout.V2);
		// orders.service allows 2 CPUs, its parent system.slice 1.5: the parent's quota binds,
		// and the kernel counts its throttling there
		assertThat(cpu.limit()).hasValue(1.5);
		assertThat(cpu.throttling()).hasValueSatisfying((throttling) -> {
			assertThat(throttling.periods()).isEqualTo(4800);
			assertThat(throttling.throttledPeriods()).isEqualTo(960);
			assertThat(throttling.throttledSeconds()).isCloseTo(12.5, within(1e-9));
		});
	}

	@Test
	void v2ReadsThrottlingWhereTheSmallestQuotaIsSet(@TempDir Path dir) {
		Path root = KernelFixtures.copy("v2", dir);
		KernelFixtures.write(root, "cgroup/system.slice/orders.service/cpu.max", "50000 100000\n");
		CgroupCpu cpu = cpu(root);
		assertThat(cpu.limit()).hasValue(0.5);
		assertThat(cpu.throttling()).hasValueSatisfying((throttling) -> {
			assertThat(throttling.periods()).isEqualTo(1200);
			assertThat(throttling.throttledPeriods()).isEqualTo(300);
			assertThat(throttling.throttledSeconds()).isCloseTo(4.5, within(1e-9));
		});
	}

	@Test
	void v2MaxIsNoQuota(@TempDir Path dir) {
		Path root = KernelFixtures.copy("v2", dir);
		KernelFixtures.write(root, "cgroup/system.slice/orders.service/cpu.max", "max 100000\n");
		KernelFixtures.write(root, "cgroup/system.slice/cpu.max", "max 100000\n");
		assertThat(cpu(root).limit()).isEmpty();
	}

	@Test
	void v2WithoutBandwidthCountersHasNoThrottlingFigures() {
		CgroupCpu cpu = cpu(KernelFixtures.of("v2-container"));
		assertThat(cpu.limit()).hasValue(1.0);
		assertThat(cpu.throttling()).isEmpty();
	}

	@Test
	void v1ReadsQuotaOverPeriodAndThrottledTimeInNanoseconds() {
		CgroupCpu cpu = cpu(KernelFixtures.of("v1"));
		assertThat(cpu.source()).isEqualTo(ProcessCgroup.Layout.V1);
		assertThat(cpu.limit()).hasValue(1.0);
		assertThat(cpu.throttling()).hasValueSatisfying((throttling) -> {
			assertThat(throttling.periods()).isEqualTo(5000);
			assertThat(throttling.throttledPeriods()).isEqualTo(250);
			assertThat(throttling.throttledSeconds()).isCloseTo(12.5, within(1e-9));
		});
	}

	@Test
	void v1MinusOneIsNoQuota() {
		CgroupCpu cpu = cpu(KernelFixtures.of("hybrid"));
		assertThat(cpu.source()).isEqualTo(ProcessCgroup.Layout.V1);
		assertThat(cpu.limit()).isEmpty();
		assertThat(cpu.throttling()).hasValue(new CgroupCpu.Throttling(0, 0, 0.0));
	}

	@Test
	void malformedOrMissingFilesGiveNothing(@TempDir Path dir) {
		Path root = KernelFixtures.copy("v2", dir);
		KernelFixtures.write(root, "cgroup/system.slice/orders.service/cpu.max", "lots\n");
		KernelFixtures.write(root, "cgroup/system.slice/cpu.max", "100000\n");
		KernelFixtures.write(root, "cgroup/system.slice/orders.service/cpu.stat", "nr_periods x\n");
		CgroupCpu cpu = cpu(root);
		assertThat(cpu.limit()).isEmpty();
		assertThat(cpu.throttling()).isEmpty();
		assertThat(cpu(dir.resolve("nowhere")).source()).isEqualTo(ProcessCgroup.Layout.NONE);
	}

	private static CgroupCpu cpu(Path root) {
		return CgroupCpu.of(ProcessCgroup.detect(root.resolve("proc"), root.resolve("cgroup")));
	}

}
