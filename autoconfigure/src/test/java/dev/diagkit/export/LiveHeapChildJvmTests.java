package dev.diagkit.export;

import java.util.List;
import java.util.Properties;

import dev.diagkit.testing.ChildJvm;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The live heap in a JVM of its own, started with the option the guide gives for JDK 17 and
 * after an unrelated recording: the live windows list the held objects with the labels they
 * were allocated under, on JDK 17 as on later JDKs.
 */
class LiveHeapChildJvmTests {

	private static final String SAMPLER_OPTION = "-XX:StartFlightRecording:settings=none,"
			+ "+jdk.OldObjectSample#enabled=true";

	@Test
	void liveWindowsListHeldObjectsWithTheirLabelsWithTheDocumentedOption() throws Exception {
		Properties results = ChildJvm.run(LiveHeapChildMain.class, List.of("-Xmx256m", SAMPLER_OPTION));
		assertThat(Long.parseLong(results.getProperty("held"))).as("held objects listed (%s)", results)
			.isGreaterThan(5);
		assertThat(Long.parseLong(results.getProperty("acme"))).as("of them labelled tenant=acme (%s)", results)
			.isPositive();
	}

}
