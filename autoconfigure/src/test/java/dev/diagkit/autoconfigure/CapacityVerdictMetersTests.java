package dev.diagkit.autoconfigure;

import java.time.Duration;
import java.util.List;

import dev.diagkit.capacity.CapacitySampler;
import dev.diagkit.capacity.CapacitySettings;
import dev.diagkit.capacity.Verdict;
import dev.diagkit.runtime.ProcessThreadTimes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The verdict gauges read a real sampler: a thread limit far below the JVM's own threads is
 * critical (2), a budget without enough evidence is NaN.
 */
class CapacityVerdictMetersTests {

	@Test
	void gaugesCarryEachBudgetsVerdictAsANumber() throws Exception {
		CapacitySettings defaults = new DiagkitCapacityProperties().toSettings();
		CapacitySettings tiny = new CapacitySettings(Duration.ofMillis(50), List.of(Duration.ofMinutes(1)),
				defaults.cpu(), defaults.memory(), new CapacitySettings.Threads(1.5, 2), defaults.latency(),
				defaults.gc(), Duration.ZERO);
		assertThat(threadsGauge(tiny)).isEqualTo(2.0);
		CapacitySettings patient = new CapacitySettings(Duration.ofMillis(50), List.of(Duration.ofMinutes(1)),
				defaults.cpu(), defaults.memory(), new CapacitySettings.Threads(1.5, 2), defaults.latency(),
				defaults.gc(), Duration.ofSeconds(30));
		assertThat(threadsGauge(patient)).isNaN();
		assertThat(CapacityVerdictMeters.code(Verdict.OK)).isZero();
		assertThat(CapacityVerdictMeters.code(Verdict.WARN)).isEqualTo(1.0);
		assertThat(CapacityVerdictMeters.code(Verdict.UNKNOWN)).isNaN();
	}

	private static double threadsGauge(CapacitySettings settings) throws Exception {
		try (CapacitySampler sampler = new CapacitySampler(settings, ProcessThreadTimes.forThisProcess(), null)) {
			SimpleMeterRegistry registry = new SimpleMeterRegistry();
			new CapacityVerdictMeters(sampler).bindTo(registry);
			for (int i = 0; i < 3; i++) {
				sampler.sample();
				Thread.sleep(60);
			}
			assertThat(registry.find("diagkit.capacity.verdict").gauges()).hasSize(5);
			return registry.get("diagkit.capacity.verdict").tag("budget", "threads").gauge().value();
		}
	}

}
