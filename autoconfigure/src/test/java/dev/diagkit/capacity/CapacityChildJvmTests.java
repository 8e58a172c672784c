package dev.diagkit.capacity;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import dev.diagkit.testing.ChildJvm;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The capacity sampler in child JVMs with a small Serial-collected heap. A GC-heavy workload
 * (80 MB live in 96 MB, live objects replaced all the time) pushes the CPU, memory and GC
 * budgets over their thresholds and the GC share well above a calm run's; with 66 MB live
 * (79–80 MB after each full collection of the 92 MB the JVM reports as its maximum, 86–87%,
 * measured here on JDK 17 and 25; 70 MB left 84 MB on JDK 25, over the 90% critical
 * threshold) and the CPU budget's critical
 * threshold at 95%, the CPU and memory budgets warn; a calm workload leaves every budget ok.
 */
class CapacityChildJvmTests {

	@Test
	void aGcHeavyWorkloadBreaksTheCpuMemoryAndGcBudgets() throws Exception {
		assumeThat(Path.of("/proc/self/task")).as("Linux /proc/self/task").isDirectory();
		Map<String, String> calm = run("calm", 3);
		Map<String, String> heavy = run("gc-heavy", 4);
		assertThat(calm).as("calm run").containsEntry("verdict.cpu", "ok")
			.containsEntry("verdict.memory", "ok")
			.containsEntry("verdict.threads", "ok")
			.containsEntry("verdict.latency", "ok")
			.containsEntry("verdict.gc", "ok");
		assertThat(heavy.get("verdict.cpu")).as("gc-heavy run: %s", heavy).isIn("warn", "critical");
		assertThat(heavy.get("verdict.memory")).as("gc-heavy run: %s", heavy).isIn("warn", "critical");
		assertThat(heavy.get("verdict.gc")).as("gc-heavy run: %s", heavy).isIn("warn", "critical");
		assertThat(heavy).containsEntry("verdict.threads", "ok");
		assertThat(Double.parseDouble(heavy.get("gcShare"))).isGreaterThan(0.25)
			.isGreaterThan(Double.parseDouble(calm.get("gcShare")) + 0.2);
	}

	@Test
	void aModeratelyGcHeavyWorkloadWarnsOnCpuAndMemory() throws Exception {
		assumeThat(Path.of("/proc/self/task")).as("Linux /proc/self/task").isDirectory();
		Map<String, String> moderate = run("gc-heavy", 4, "-Dlive=66", "-DgcShareCritical=0.95");
		assertThat(moderate).containsEntry("verdict.cpu", "warn")
			.containsEntry("verdict.memory", "warn")
			.containsEntry("verdict.threads", "ok");
	}

	private static Map<String, String> run(String mode, int seconds, String... properties) throws Exception {
		List<String> options = new ArrayList<>(List.of("-Xmx96m", "-Xms96m", "-XX:+UseSerialGC"));
		options.addAll(List.of(properties));
		Properties results = ChildJvm.run(CapacityWorkloadMain.class, options, mode, String.valueOf(seconds));
		Map<String, String> values = new HashMap<>();
		results.stringPropertyNames().forEach((name) -> values.put(name, results.getProperty(name)));
		return values;
	}

}
