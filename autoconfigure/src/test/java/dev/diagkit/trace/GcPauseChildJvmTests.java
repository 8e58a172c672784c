package dev.diagkit.trace;

import java.util.List;
import java.util.Properties;

import dev.diagkit.testing.ChildJvm;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An allocation storm in a child JVM whose G1 pause target (2 ms) cannot be kept gives a
 * gc-pauses finding that names the collector's own target.
 */
class GcPauseChildJvmTests {

	@Test
	void pausesOverTheCollectorsTargetAreAFinding() throws Exception {
		Properties results = ChildJvm.run(GcStormChildMain.class,
				List.of("-Xmx128m", "-Xms128m", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=2"));
		String report = results.getProperty("text");
		assertThat(results.getProperty("findings")).as(report).contains("gc-pauses");
		assertThat(results.getProperty("gc.pauseTargetMs")).as(report).isEqualTo("2.0");
		assertThat(results.getProperty("gc.pauseTargetFrom")).isEqualTo("collector");
		assertThat(results.getProperty("gc.collector")).isEqualTo("G1Old");
		assertThat(Integer.parseInt(results.getProperty("gc.overTarget"))).isPositive();
		assertThat(Double.parseDouble(results.getProperty("gc.worstPauseMs"))).isGreaterThan(2.0);
	}

}
