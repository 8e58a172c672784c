package dev.diagkit.memory;

import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import dev.diagkit.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The controller moving ZGC's {@code SoftMaxHeapSize} in a child JVM with a 400 MB heap and
 * 100 MB live: high pressure in the PSI file takes the target down step by step to its floor
 * (60% of the base, or more when the live heap needs it), low pressure takes it back to the
 * base, and closing the controller puts the JVM's own value back.
 */
class AdaptiveHeapChildJvmTests {

	@TempDir
	Path dir;

	@Test
	void pressureMovesZgcsSoftMaxHeapSizeDownToTheFloorAndBack() throws Exception {
		Properties results = ChildJvm.run(AdaptiveHeapChildMain.class, List.of("-XX:+UseZGC", "-Xmx400m"),
				this.dir.resolve("memory.pressure").toString());
		assertThat(results.getProperty("collector")).isEqualTo("ZGC");
		long base = Long.parseLong(results.getProperty("base"));
		long lowest = Long.parseLong(results.getProperty("lowest"));
		long floor = Long.parseLong(results.getProperty("floor"));
		assertThat(floor).as("floor").isBetween(Math.round(base * 0.6), base);
		assertThat(Long.parseLong(results.getProperty("target"))).as("target held under pressure (%s)", results)
			.isEqualTo(floor);
		assertThat(lowest).as("SoftMaxHeapSize the JVM holds").isEqualTo(floor);
		assertThat(lowest).as("moved at least two steps").isLessThan(Math.round(base * 0.8));
		assertThat(Long.parseLong(results.getProperty("restored"))).as("after the pressure").isEqualTo(base);
		assertThat(results.getProperty("reasons")).contains("PRESSURE", "PRESSURE_GONE");
		assertThat(results.getProperty("afterClose")).as("after closing").isEqualTo(results.getProperty("original"));
		assertThat(results.getProperty("advice")).as("started without -XX:ZUncommitDelay")
			.contains("ZUncommitDelay, 300 s here", "-XX:ZUncommitDelay=5");
	}

}
