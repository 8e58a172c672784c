package dev.diagkit.runtime;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessMemoryTests {

	@Test
	void readsRssAndPeakFromStatus() {
		ProcessMemory memory = new ProcessMemory(KernelFixtures.of("v1").resolve("proc"));
		assertThat(memory.rss()).hasValue(358400L * 1024);
		assertThat(memory.peakRss()).hasValue(401408L * 1024);
	}

	@Test
	void readsTheStatusOfThisBuildMachine() {
		ProcessMemory memory = new ProcessMemory(KernelFixtures.of("hybrid").resolve("proc"));
		assertThat(memory.rss()).hasValue(86720L * 1024);
		assertThat(memory.peakRss()).hasValue(86720L * 1024);
	}

	@Test
	void missingStatusIsEmpty(@TempDir Path dir) {
		ProcessMemory memory = new ProcessMemory(dir);
		assertThat(memory.rss()).isEmpty();
		assertThat(memory.peakRss()).isEmpty();
	}

	@Test
	void missingOrMalformedLinesAreEmpty() {
		assertThat(ProcessMemory.parseField("Name:\tjava\nVmSize:\t 8974432 kB\n", "VmRSS")).isEmpty();
		assertThat(ProcessMemory.parseField("VmRSS:\t   86720\n", "VmRSS")).isEmpty();
		assertThat(ProcessMemory.parseField("VmRSS:\t   lots kB\n", "VmRSS")).isEmpty();
		assertThat(ProcessMemory.parseField("VmRSS:\t   -1 kB\n", "VmRSS")).isEmpty();
		assertThat(ProcessMemory.parseField("VmRSS:\t   86720 MB\n", "VmRSS")).isEmpty();
		assertThat(ProcessMemory.parseField("VmRSSX:\t   1 kB\nVmRSS:\t   2 kB\n", "VmRSS")).hasValue(2048);
	}

}
