package dev.diagkit.endpoint;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.diagkit.endpoint.RuntimeFigures.Figure;
import dev.diagkit.runtime.KernelFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.entry;

class RuntimeFiguresTests {

	private static final long MIB = 1024 * 1024;

	private static final Set<String> UNITS = Set.of("bytes", "seconds", "count", "ratio", "percent", "threads");

	@Test
	void v2FixtureGivesProcessCgroupAndBothPressures() {
		Map<String, Figure> figures = collect(KernelFixtures.of("v2"));
		assertThat(figures.get("process.rss")).isEqualTo(new Figure("process.rss", 598016L * 1024, "bytes"));
		assertThat(figures.get("process.rss.peak").value()).isEqualTo(655360L * 1024);
		assertThat(figures.get("cgroup.memory.usage").value()).isEqualTo(600 * MIB);
		assertThat(figures.get("cgroup.memory.limit"))
			.isEqualTo(new Figure("cgroup.memory.limit", 1024 * MIB, "bytes"));
		assertThat(figures.get("cgroup.memory.working.set").value()).isEqualTo(550 * MIB);
		assertThat(figures.get("cgroup.memory.anon").value()).isEqualTo(500 * MIB);
		assertThat(figures.get("cgroup.memory.file").value()).isEqualTo(80 * MIB);
		assertThat(figures.get("cgroup.memory.inactive.file").value()).isEqualTo(50 * MIB);
		assertThat(figures.get("psi.memory.some.avg10"))
			.isEqualTo(new Figure("psi.memory.some.avg10", 0.75, "percent"));
		assertThat(figures.get("psi.memory.full.avg300").value()).isEqualTo(0.03);
		assertThat(figures.get("psi.memory.some.total"))
			.isEqualTo(new Figure("psi.memory.some.total", 1.873201, "seconds"));
		assertThat(figures.get("psi.cpu.full.avg10").value()).isZero();
		assertThat(figures.get("psi.io.some.avg60").value()).isEqualTo(0.12);
		assertThat(figures.get("cgroup.psi.memory.some.avg10").value()).isEqualTo(2.10);
		assertThat(figures.get("cgroup.psi.memory.full.avg300").value()).isEqualTo(0.22);
		assertThat(figures.get("cgroup.psi.cpu.some.avg60").value()).isEqualTo(0.51);
		assertThat(figures.get("cgroup.psi.io.full.total").value()).isEqualTo(0.09812);
	}

	@Test
	void v1FixtureHasALimitButNoPressure() {
		Map<String, Figure> figures = collect(KernelFixtures.of("v1"));
		assertThat(figures.get("cgroup.memory.limit").value()).isEqualTo(512 * MIB);
		assertThat(figures.get("cgroup.memory.usage").value()).isEqualTo(350 * MIB);
		assertThat(figures.get("cgroup.memory.working.set").value()).isEqualTo(330 * MIB);
		assertThat(figures.get("process.rss").value()).isEqualTo(358400L * 1024);
		assertThat(figures.keySet()).noneMatch((name) -> name.startsWith("psi.") || name.startsWith("cgroup.psi."));
	}

	@Test
	void hybridFixtureHasNoLimitAndPressureFromTheUnifiedHierarchy() {
		Map<String, Figure> figures = collect(KernelFixtures.of("hybrid"));
		assertThat(figures).doesNotContainKey("cgroup.memory.limit");
		assertThat(figures.get("cgroup.memory.usage").value()).isEqualTo(22319104);
		assertThat(figures.get("cgroup.memory.working.set").value()).isEqualTo(22319104 - 7495680);
		assertThat(figures.get("psi.io.full.total").value()).isEqualTo(2.318169);
		assertThat(figures.get("cgroup.psi.io.full.total").value()).isEqualTo(2.318169);
		assertThat(figures).containsKeys("psi.cpu.some.avg10", "cgroup.psi.memory.full.avg60");
	}

	@Test
	void v2ContainerFixtureReadsTheNamespaceRoot() {
		Map<String, Figure> figures = collect(KernelFixtures.of("v2-container"));
		assertThat(figures.get("cgroup.memory.limit").value()).isEqualTo(512 * MIB);
		assertThat(figures.get("cgroup.psi.cpu.full.avg10").value()).isEqualTo(10.04);
	}

	@Test
	void missingFilesLeaveTheirFiguresOut(@TempDir Path dir) {
		Map<String, Figure> figures = collect(dir);
		assertThat(figures.keySet()).noneMatch((name) -> name.startsWith("process.rss") || name.startsWith("cgroup.")
				|| name.startsWith("psi."));
		assertThat(figures).containsKeys("jvm.memory.heap.used", "jvm.threads.live", "system.cpu.count");
		assertThat(figures.values()).allMatch((figure) -> Double.isFinite(figure.value()));
	}

	@Test
	void thisJvmHasHeapThreadGcAndCpuFigures() {
		List<Figure> list = RuntimeFigures.forThisProcess().collect();
		Map<String, Figure> figures = byName(list);
		assertThat(figures.size()).as("names are unique").isEqualTo(list.size());
		for (String name : List.of("jvm.memory.heap.used", "jvm.memory.heap.committed", "jvm.memory.heap.max",
				"jvm.memory.nonheap.used", "jvm.memory.nonheap.committed", "jvm.threads.live", "jvm.threads.peak",
				"jvm.threads.started", "jvm.classes.loaded", "system.cpu.count", "process.uptime")) {
			assertThat(figures).containsKey(name);
			assertThat(figures.get(name).value()).as(name).isPositive();
		}
		assertThat(figures.get("jvm.memory.heap.used").unit()).isEqualTo("bytes");
		assertThat(figures.get("jvm.threads.live").unit()).isEqualTo("threads");
		assertThat(figures.keySet()).anyMatch((name) -> name.matches("jvm\\.memory\\.pool\\.[a-z0-9.]+\\.used"));
		assertThat(figures.keySet()).anyMatch((name) -> name.matches("jvm\\.gc\\.[a-z0-9.]+\\.count"));
		assertThat(figures.keySet()).anyMatch((name) -> name.matches("jvm\\.gc\\.[a-z0-9.]+\\.time"));
		assertThat(figures).containsKey("jvm.buffer.direct.used");
		if (figures.containsKey("process.cpu.time")) {
			assertThat(figures.get("process.cpu.time").unit()).isEqualTo("seconds");
			assertThat(figures.get("process.cpu.time").value()).isPositive();
		}
		if (figures.containsKey("process.cpu.usage")) {
			assertThat(figures.get("process.cpu.usage").value()).isBetween(0.0, 1.0);
		}
		for (Figure figure : list) {
			assertThat(figure.name()).matches("[a-z0-9]+(\\.[a-z0-9]+)+");
			assertThat(figure.unit()).isIn(UNITS);
			assertThat(figure.value()).as(figure.name()).isNotNegative().isFinite();
		}
	}

	@Test
	void heapUsedCountsALargeArrayStillHeld() {
		RuntimeFigures runtime = RuntimeFigures.forThisProcess();
		// compared with the array's size, not with a reading before it: the allocation may
		// start a collection that frees more than the array takes
		byte[] block = new byte[64 * 1024 * 1024];
		double used = heapUsed(runtime);
		assertThat(used).as("jvm.memory.heap.used while 64 MiB are held").isGreaterThanOrEqualTo(64.0 * 1024 * 1024);
		assertThat(block).hasSize(64 * 1024 * 1024);
	}

	@Test
	void textHasOneLinePerFigureWithoutExponentOrNeedlessFraction() {
		List<Figure> figures = List.of(new Figure("jvm.memory.heap.used", 123456789.0, "bytes"),
				new Figure("process.cpu.usage", 0.25, "ratio"), new Figure("cgroup.memory.limit", 1.5e10, "bytes"),
				new Figure("psi.memory.some.total", 1.0e-7, "seconds"), new Figure("jvm.threads.live", 0, "threads"),
				new Figure("system.load.average.1m", 2.5e20, "count"));
		assertThat(RuntimeFigures.toText(figures)).isEqualTo("""
				jvm.memory.heap.used 123456789 bytes
				process.cpu.usage 0.25 ratio
				cgroup.memory.limit 15000000000 bytes
				psi.memory.some.total 0.0000001 seconds
				jvm.threads.live 0 threads
				system.load.average.1m 250000000000000000000 count
				""");
	}

	@Test
	void realTextHasNoExponentAndNoTrailingZeroFraction() {
		String text = RuntimeFigures.forThisProcess().toText();
		for (String line : text.split("\n")) {
			String[] parts = line.split(" ");
			assertThat(parts).as(line).hasSize(3);
			assertThat(parts[1]).as(line).matches("\\d+(\\.\\d*[1-9])?");
		}
	}

	@Test
	void jsonMapsNameToValueAndUnitWithWholeNumbersAsLongs() {
		List<Figure> figures = List.of(new Figure("jvm.memory.heap.used", 1024, "bytes"),
				new Figure("process.cpu.usage", 0.25, "ratio"));
		Map<String, Object> json = RuntimeFigures.toJson(figures);
		assertThat(json).containsExactly(entry("jvm.memory.heap.used", Map.of("value", 1024L, "unit", "bytes")),
				entry("process.cpu.usage", Map.of("value", 0.25, "unit", "ratio")));
		assertThat(JsonMapper.builder().build().writeValueAsString(json)).isEqualTo(
				"{\"jvm.memory.heap.used\":{\"value\":1024,\"unit\":\"bytes\"},"
						+ "\"process.cpu.usage\":{\"value\":0.25,\"unit\":\"ratio\"}}");
	}

	@Test
	void realJsonHasEveryFigure() {
		RuntimeFigures runtime = new RuntimeFigures(KernelFixtures.of("v2").resolve("proc"),
				KernelFixtures.of("v2").resolve("cgroup"));
		Map<String, Object> json = runtime.toJson();
		assertThat(json).containsEntry("cgroup.memory.limit", Map.of("value", 1024 * MIB, "unit", "bytes"));
		assertThat(json).containsKey("jvm.memory.heap.used");
	}

	@Test
	void figureMustBeFiniteAndNamed() {
		assertThatIllegalArgumentException().isThrownBy(() -> new Figure("a.b", Double.NaN, "bytes"))
			.withMessageContaining("'a.b' must be a finite number, was NaN");
		assertThatIllegalArgumentException().isThrownBy(() -> new Figure("a.b", Double.POSITIVE_INFINITY, "bytes"));
		assertThatIllegalArgumentException().isThrownBy(() -> new Figure(" ", 1, "bytes"));
	}

	@Test
	void poolAndCollectorNamesBecomeDottedWords() {
		assertThat(RuntimeFigures.words("G1 Eden Space")).isEqualTo("g1.eden.space");
		assertThat(RuntimeFigures.words("CodeHeap 'non-nmethods'")).isEqualTo("codeheap.non.nmethods");
		assertThat(RuntimeFigures.words("mapped - 'non-volatile memory'")).isEqualTo("mapped.non.volatile.memory");
		assertThat(RuntimeFigures.words("PS MarkSweep")).isEqualTo("ps.marksweep");
		assertThat(RuntimeFigures.words("--")).isEqualTo("unnamed");
	}

	private static double heapUsed(RuntimeFigures runtime) {
		return byName(runtime.collect()).get("jvm.memory.heap.used").value();
	}

	private static Map<String, Figure> collect(Path fixture) {
		return byName(new RuntimeFigures(fixture.resolve("proc"), fixture.resolve("cgroup")).collect());
	}

	private static Map<String, Figure> byName(List<Figure> figures) {
		Map<String, Figure> byName = new LinkedHashMap<>();
		figures.forEach((figure) -> byName.put(figure.name(), figure));
		return byName;
	}

}
