package dev.diagkit.memory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import dev.diagkit.runtime.CgroupMemory;
import dev.diagkit.runtime.KernelFixtures;
import dev.diagkit.runtime.ProcessCgroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Finding the memory pressure on copies of real machines' files: cgroup v2 (the container's
 * own pressure first, then the machine's), cgroup v1 without PSI (the working set against
 * the limit), a PSI file named explicitly, and nothing to read.
 */
class MemoryPressureSourceTests {

	@TempDir
	Path dir;

	@Test
	void onCgroupV2TheContainersOwnPressureComesFirst() {
		Path root = KernelFixtures.of("v2");
		MemoryPressureSource source = discover(null, root).orElseThrow();
		assertThat(source.description()).startsWith("cgroup ").endsWith("orders.service/memory.pressure");
		assertThat(source.getAsDouble()).isEqualTo(2.10);
	}

	@Test
	void withoutTheCgroupsPressureTheMachinesIsRead() throws Exception {
		Path root = KernelFixtures.copy("v2", this.dir);
		Files.delete(root.resolve("cgroup/system.slice/orders.service/memory.pressure"));
		MemoryPressureSource source = discover(null, root).orElseThrow();
		assertThat(source.description()).startsWith("machine ").endsWith("pressure/memory");
		assertThat(source.getAsDouble()).isEqualTo(0.75);
	}

	@Test
	void onCgroupV1WithoutPsiTheWorkingSetAgainstTheLimitStandsIn() throws Exception {
		Path root = KernelFixtures.copy("v1", this.dir);
		MemoryPressureSource source = discover(null, root).orElseThrow();
		assertThat(source.description()).contains("working set against its limit");
		// 330 MB of working set (350 MB used, 20 MB inactive file) of a 512 MB limit: 64%
		assertThat(source.getAsDouble()).isZero();
		long limit = 512L * 1024 * 1024;
		long inactiveFile = 20L * 1024 * 1024;
		KernelFixtures.write(root, "cgroup/memory/memory.usage_in_bytes", (Math.round(limit * 0.9) + inactiveFile) + "\n");
		assertThat(source.getAsDouble()).as("90% of the limit").isCloseTo(5.0, within(0.01));
	}

	@Test
	void anExplicitFileIsTheOnlyOneRead() throws Exception {
		Path psi = this.dir.resolve("pressure");
		Files.writeString(psi, "some avg10=7.50 avg60=1.00 avg300=0.50 total=100\nfull avg10=1.00 avg60=0.00 avg300=0.00 total=1\n");
		MemoryPressureSource source = discover(psi, KernelFixtures.of("v2")).orElseThrow();
		assertThat(source.description()).isEqualTo("PSI file " + psi);
		assertThat(source.getAsDouble()).isEqualTo(7.50);
		Files.writeString(psi, "not a PSI file\n");
		assertThat(source.getAsDouble()).as("unreadable now").isNaN();
	}

	@Test
	void anExplicitFileThatCannotBeReadFindsNothing() {
		assertThat(discover(this.dir.resolve("missing"), KernelFixtures.of("v2"))).isEmpty();
	}

	@Test
	void aMachineWithNeitherPsiNorALimitFindsNothing() throws Exception {
		Path root = KernelFixtures.copy("v1", this.dir);
		Files.delete(root.resolve("cgroup/memory/memory.limit_in_bytes"));
		KernelFixtures.write(root, "cgroup/memory/memory.stat", "inactive_file 20971520\n");
		assertThat(discover(null, root)).isEmpty();
	}

	private static Optional<MemoryPressureSource> discover(Path explicit, Path root) {
		CgroupMemory cgroup = CgroupMemory.of(ProcessCgroup.detect(root.resolve("proc"), root.resolve("cgroup")));
		return MemoryPressureSource.discover(explicit, cgroup, root.resolve("proc"));
	}

}
