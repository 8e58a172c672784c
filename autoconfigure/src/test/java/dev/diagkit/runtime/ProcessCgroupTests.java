package dev.diagkit.runtime;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessCgroupTests {

	private static final String HYBRID_ID = "ab9c719711c65c77fd7b0a6d42125e7e";

	@Test
	void hybridHasV1ControllersAndTheUnifiedHierarchyBesideThem() {
		Path root = KernelFixtures.of("hybrid");
		ProcessCgroup cgroup = detect(root);
		assertThat(cgroup.layout()).isEqualTo(ProcessCgroup.Layout.HYBRID);
		assertThat(cgroup.controllerDirectory("memory"))
			.hasValue(root.resolve("cgroup/memory/process_api/" + HYBRID_ID));
		assertThat(cgroup.controllerDirectory("cpu")).hasValue(root.resolve("cgroup/cpu"));
		assertThat(cgroup.controllerDirectory("pids")).isEmpty();
		assertThat(cgroup.unifiedDirectory()).hasValue(root.resolve("cgroup/unified"));
		assertThat(cgroup.pressure(PressureResource.IO))
			.hasValueSatisfying((io) -> assertThat(io.some().totalMicros()).isEqualTo(2727408));
	}

	@Test
	void v1ContainerSeesItsOwnCgroupAsTheMountAndHasNoPressure() {
		Path root = KernelFixtures.of("v1");
		ProcessCgroup cgroup = detect(root);
		assertThat(cgroup.layout()).isEqualTo(ProcessCgroup.Layout.V1);
		// /docker/<id> is not under the mount inside the container: the mount is the cgroup
		assertThat(cgroup.controllerDirectory("memory")).hasValue(root.resolve("cgroup/memory"));
		// co-mounted controllers are found by their joint directory
		assertThat(cgroup.controllerDirectory("cpu")).hasValue(root.resolve("cgroup/cpu,cpuacct"));
		assertThat(cgroup.controllerDirectory("cpuacct")).hasValue(root.resolve("cgroup/cpu,cpuacct"));
		assertThat(cgroup.unifiedDirectory()).isEmpty();
		assertThat(cgroup.pressure(PressureResource.MEMORY)).isEmpty();
	}

	@Test
	void v2ServiceIsFoundByItsPath() {
		Path root = KernelFixtures.of("v2");
		ProcessCgroup cgroup = detect(root);
		assertThat(cgroup.layout()).isEqualTo(ProcessCgroup.Layout.V2);
		assertThat(cgroup.unifiedDirectory()).hasValue(root.resolve("cgroup/system.slice/orders.service"));
		assertThat(cgroup.controllerDirectory("memory")).isEmpty();
		PressureStall.Stall some = new PressureStall.Stall(2.10, 1.05, 0.42, 3120478);
		PressureStall.Stall full = new PressureStall.Stall(1.20, 0.61, 0.22, 1822045);
		assertThat(cgroup.pressure(PressureResource.MEMORY)).hasValue(new PressureStall(some, full));
	}

	@Test
	void v2ContainerWithCgroupNamespaceIsTheRoot() {
		Path root = KernelFixtures.of("v2-container");
		ProcessCgroup cgroup = detect(root);
		assertThat(cgroup.layout()).isEqualTo(ProcessCgroup.Layout.V2);
		assertThat(cgroup.unifiedDirectory()).hasValue(root.resolve("cgroup"));
		assertThat(cgroup.pressure(PressureResource.CPU))
			.hasValueSatisfying((cpu) -> assertThat(cpu.some().avg10()).isEqualTo(12.5));
	}

	@Test
	void pathOutsideTheMountFallsBackToTheMount(@TempDir Path dir) {
		Path root = KernelFixtures.copy("v2", dir);
		KernelFixtures.write(root, "proc/self/cgroup", "0::/../../../etc\n");
		assertThat(detect(root).unifiedDirectory()).hasValue(root.resolve("cgroup"));
	}

	@Test
	void missingFilesGiveNoCgroup(@TempDir Path dir) {
		ProcessCgroup cgroup = ProcessCgroup.detect(dir.resolve("proc"), dir.resolve("cgroup"));
		assertThat(cgroup.layout()).isEqualTo(ProcessCgroup.Layout.NONE);
		assertThat(cgroup.unifiedDirectory()).isEmpty();
		assertThat(cgroup.controllerDirectory("memory")).isEmpty();
		assertThat(cgroup.pressure(PressureResource.MEMORY)).isEmpty();
	}

	@Test
	void procWithoutMountedCgroupsGivesNoCgroup(@TempDir Path dir) {
		ProcessCgroup cgroup = ProcessCgroup.detect(KernelFixtures.of("v1").resolve("proc"), dir);
		assertThat(cgroup.layout()).isEqualTo(ProcessCgroup.Layout.NONE);
	}

	@Test
	void malformedLinesAreSkipped(@TempDir Path dir) {
		Path root = KernelFixtures.copy("v2", dir);
		KernelFixtures.write(root, "proc/self/cgroup", "garbage\n\n0::/system.slice/orders.service\n");
		assertThat(detect(root).unifiedDirectory()).hasValue(root.resolve("cgroup/system.slice/orders.service"));
	}

	static ProcessCgroup detect(Path fixture) {
		return ProcessCgroup.detect(fixture.resolve("proc"), fixture.resolve("cgroup"));
	}

}
