package dev.diagkit.trace;

import java.util.List;
import java.util.Properties;

import dev.diagkit.testing.ChildJvm;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A trace keeps at most its size cap, to within one JFR chunk: in a child JVM with 1 MB
 * chunks, a 6-second trace capped at 2 MB against the same trace uncapped.
 */
class TraceMaxSizeTests {

	private static final long MB = 1024 * 1024;

	@Test
	void aTraceOverItsCapKeepsOnlyTheNewestChunks() throws Exception {
		Properties results = ChildJvm.run(TraceSizeChildMain.class,
				List.of("-XX:FlightRecorderOptions:maxchunksize=1m"), Long.toString(2 * MB));
		long uncapped = Long.parseLong(results.getProperty("uncapped"));
		long capped = Long.parseLong(results.getProperty("capped"));
		assertThat(uncapped).as("the load writes more than the cap").isGreaterThan(4 * MB);
		assertThat(capped).as("capped at 2 MB, within a 1 MB chunk").isLessThanOrEqualTo(3 * MB);
	}

}
