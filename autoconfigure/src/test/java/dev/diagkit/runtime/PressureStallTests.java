package dev.diagkit.runtime;

import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class PressureStallTests {

	@Test
	void parsesSomeAndFullLines() {
		PressureStall pressure = PressureStall
			.parse("some avg10=0.18 avg60=0.06 avg300=0.01 total=2206280\n"
					+ "full avg10=0.17 avg60=0.03 avg300=0.00 total=1894993\n")
			.orElseThrow();
		assertThat(pressure.some()).isEqualTo(new PressureStall.Stall(0.18, 0.06, 0.01, 2206280));
		assertThat(pressure.full()).isEqualTo(new PressureStall.Stall(0.17, 0.03, 0.0, 1894993));
		assertThat(pressure.some().totalSeconds()).isEqualTo(2.20628);
	}

	@Test
	void cpuPressureOfKernelsBefore513HasNoFullLine() {
		PressureStall pressure = PressureStall.parse("some avg10=12.50 avg60=8.31 avg300=3.02 total=95120377\n")
			.orElseThrow();
		assertThat(pressure.some().avg10()).isEqualTo(12.5);
		assertThat(pressure.full()).isNull();
	}

	@Test
	void fieldsOfLaterKernelsAreIgnored() {
		assertThat(PressureStall.parse("some avg10=1.00 avg60=2.00 avg300=3.00 total=4 avg3600=5.00\n"))
			.hasValueSatisfying((pressure) -> assertThat(pressure.some().avg300()).isEqualTo(3.0));
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "\n", "garbage", "some\n", "some avg10=0.00 avg60=0.00 avg300=0.00\n",
			"some avg10=abc avg60=0.00 avg300=0.00 total=1\n", "some avg10=NaN avg60=0.00 avg300=0.00 total=1\n",
			"some avg10=100.01 avg60=0.00 avg300=0.00 total=1\n", "some avg10=0.00 avg60=0.00 avg300=0.00 total=-1\n",
			"full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n",
			"some avg10=0.00 avg60=0.00 avg300=0.00 total=0\nfull avg10=0.00 total=0\n",
			"some avg10=0.00 avg60=0.00 avg300=0.00 total=0\nother 1\n" })
	void malformedTextIsEmpty(String text) {
		assertThat(PressureStall.parse(text)).isEmpty();
	}

	@Test
	void missingOrUnreadableFileIsEmpty(@TempDir Path dir) {
		assertThat(PressureStall.read(dir.resolve("memory.pressure"))).isEmpty();
		assertThat(PressureStall.read(dir)).isEmpty();
		assertThat(PressureStall.readSystem(dir, PressureResource.MEMORY)).isEmpty();
	}

	@Test
	void readsMachineWidePressureFromProc() {
		Path proc = KernelFixtures.of("v2").resolve("proc");
		Optional<PressureStall> memory = PressureStall.readSystem(proc, PressureResource.MEMORY);
		assertThat(memory).hasValue(new PressureStall(new PressureStall.Stall(0.75, 0.40, 0.11, 1873201),
				new PressureStall.Stall(0.25, 0.13, 0.03, 904112)));
		assertThat(PressureStall.readSystem(proc, PressureResource.CPU)).hasValueSatisfying(
				(cpu) -> assertThat(cpu.full()).isEqualTo(new PressureStall.Stall(0, 0, 0, 0)));
		assertThat(PressureStall.readSystem(proc, PressureResource.IO)).isPresent();
	}

	@Test
	void resourcesNameTheirFiles() {
		assertThat(PressureResource.MEMORY.systemFile(Path.of("/proc"))).isEqualTo(Path.of("/proc/pressure/memory"));
		assertThat(PressureResource.CPU.cgroupFileName()).isEqualTo("cpu.pressure");
		assertThat(PressureResource.IO.key()).isEqualTo("io");
	}

}
