package dev.diagkit.trace;

import java.util.Properties;

import dev.diagkit.testing.ChildJvm;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * JDK Mission Control's rules are optional: in a JVM whose class path lacks them the
 * analysis runs diagkit's own detectors, and loading the analyzer does not fail.
 */
class AnalysisWithoutJmcTests {

	@Test
	void withoutJmcOnTheClassPathTheAnalysisRunsDiagkitsDetectorsOnly() throws Exception {
		Properties results = ChildJvm.run(AnalysisWithoutJmcChildMain.class,
				ChildJvm.classPathWithout("/org/openjdk/jmc/"));
		assertThat(results.getProperty("jmcPresent")).isEqualTo("false");
		assertThat(results.getProperty("runsJmcRules")).isEqualTo("false");
		assertThat(results.getProperty("analysers")).isEqualTo("diagkit");
	}

}
