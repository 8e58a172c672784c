package dev.diagkit.runtime;

import java.nio.file.Path;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class CgroupMemoryTests {

	private static final long MIB = 1024 * 1024;

	@Test
	void v2ReadsCurrentMaxAndStat() {
		CgroupMemory memory = memory(KernelFixtures.of("v2"));
		assertThat(memory.source()).isEqualTo(CgroupMemory.Source.V2);
		assertThat(memory.usage()).hasValue(600 * MIB);
		assertThat(memory.limit()).hasValue(1024 * MIB);
		assertThat(memory.workingSet()).hasValue(550 * MIB);
		CgroupMemory.Snapshot snapshot = memory.read();
		assertThat(snapshot.anon()).hasValue(500 * MIB);
		assertThat(snapshot.file()).hasValue(80 * MIB);
		assertThat(snapshot.inactiveFile()).hasValue(50 * MIB);
		assertThat(snapshot.workingSet()).hasValue(550 * MIB);
	}

	@Test
	void v2MaxMeansNoLimit(@TempDir Path dir) {
		Path root = KernelFixtures.copy("v2", dir);
		KernelFixtures.write(root, "cgroup/system.slice/orders.service/memory.max", "max\n");
		CgroupMemory memory = memory(root);
		assertThat(memory.limit()).isEmpty();
		assertThat(memory.usage()).hasValue(600 * MIB);
	}

	@Test
	void v2LimitIsTheLowestOfTheAncestors(@TempDir Path dir) {
		Path root = KernelFixtures.copy("v2", dir);
		KernelFixtures.write(root, "cgroup/system.slice/memory.max", String.valueOf(768 * MIB) + "\n");
		assertThat(memory(root).limit()).hasValue(768 * MIB);
	}

	@Test
	void v2ContainerReadsTheNamespaceRoot() {
		CgroupMemory memory = memory(KernelFixtures.of("v2-container"));
		assertThat(memory.usage()).hasValue(300 * MIB);
		assertThat(memory.limit()).hasValue(512 * MIB);
		assertThat(memory.workingSet()).hasValue(275 * MIB);
	}

	@Test
	void v2RootCgroupHasNoMemoryFiles(@TempDir Path dir) {
		Path root = KernelFixtures.copy("v2", dir);
		KernelFixtures.write(root, "proc/self/cgroup", "0::/\n");
		CgroupMemory memory = memory(root);
		assertThat(memory.source()).isEqualTo(CgroupMemory.Source.V2);
		assertThat(memory.usage()).isEmpty();
		assertThat(memory.limit()).isEmpty();
		assertThat(memory.workingSet()).isEmpty();
		assertThat(memory.read()).isEqualTo(empty());
	}

	@Test
	void v1ReadsUsageLimitAndHierarchicalTotals() {
		CgroupMemory memory = memory(KernelFixtures.of("v1"));
		assertThat(memory.source()).isEqualTo(CgroupMemory.Source.V1);
		assertThat(memory.usage()).hasValue(350 * MIB);
		assertThat(memory.limit()).hasValue(512 * MIB);
		assertThat(memory.workingSet()).hasValue(330 * MIB);
		CgroupMemory.Snapshot snapshot = memory.read();
		assertThat(snapshot.anon()).hasValue(304 * MIB);
		assertThat(snapshot.file()).hasValue(40 * MIB);
		assertThat(snapshot.inactiveFile()).hasValue(20 * MIB);
	}

	@Test
	void v1LimitOfAnAncestorComesFromTheHierarchicalLimit(@TempDir Path dir) {
		Path root = KernelFixtures.copy("v1", dir);
		KernelFixtures.write(root, "cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n");
		assertThat(memory(root).limit()).hasValue(512 * MIB);
	}

	@Test
	void v1HugeLimitMeansNoLimit() {
		// this build machine: memory.limit_in_bytes and hierarchical_memory_limit are 9223372036854771712
		CgroupMemory memory = memory(KernelFixtures.of("hybrid"));
		assertThat(memory.source()).isEqualTo(CgroupMemory.Source.V1);
		assertThat(memory.limit()).isEmpty();
		assertThat(memory.usage()).hasValue(22319104);
		assertThat(memory.workingSet()).hasValue(22319104 - 7495680);
	}

	@Test
	void v1LimitOnSixtyFourKilobytePagesMeansNoLimitToo(@TempDir Path dir) {
		Path root = KernelFixtures.copy("v1", dir);
		KernelFixtures.write(root, "cgroup/memory/memory.limit_in_bytes", "9223372036854710272\n");
		KernelFixtures.write(root, "cgroup/memory/memory.stat", "total_inactive_file 0\n");
		assertThat(memory(root).limit()).isEmpty();
	}

	@Test
	void workingSetIsNeverNegative(@TempDir Path dir) {
		Path root = KernelFixtures.copy("v2", dir);
		KernelFixtures.write(root, "cgroup/system.slice/orders.service/memory.current", "1000\n");
		assertThat(memory(root).workingSet()).hasValue(0);
	}

	@Test
	void missingStatLeavesOutWorkingSetOnly(@TempDir Path dir) {
		Path root = KernelFixtures.copy("v1", dir);
		KernelFixtures.write(root, "cgroup/memory/memory.stat", "");
		CgroupMemory memory = memory(root);
		assertThat(memory.usage()).hasValue(350 * MIB);
		assertThat(memory.limit()).hasValue(512 * MIB);
		assertThat(memory.workingSet()).isEmpty();
	}

	@Test
	void malformedValuesAreEmpty(@TempDir Path dir) {
		Path root = KernelFixtures.copy("v2", dir);
		KernelFixtures.write(root, "cgroup/system.slice/orders.service/memory.current", "six hundred\n");
		KernelFixtures.write(root, "cgroup/system.slice/orders.service/memory.max", "-1\n");
		CgroupMemory memory = memory(root);
		assertThat(memory.usage()).isEmpty();
		assertThat(memory.limit()).isEmpty();
		assertThat(memory.workingSet()).isEmpty();
	}

	@Test
	void noCgroupGivesEmptyValues(@TempDir Path dir) {
		CgroupMemory memory = CgroupMemory.of(ProcessCgroup.detect(dir, dir));
		assertThat(memory.source()).isEqualTo(CgroupMemory.Source.NONE);
		assertThat(memory.directory()).isEmpty();
		assertThat(memory.read()).isEqualTo(empty());
		assertThat(memory.workingSet()).isEmpty();
	}

	private static CgroupMemory.Snapshot empty() {
		return new CgroupMemory.Snapshot(OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(),
				OptionalLong.empty(), OptionalLong.empty());
	}

	private static CgroupMemory memory(Path fixture) {
		return CgroupMemory.of(ProcessCgroupTests.detect(fixture));
	}

}
