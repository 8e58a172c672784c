package dev.diagkit.metrics;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

/**
 * The same binders on JDK 21+, whose JFR, thread names and management beans differ. Run with
 * {@code -Pjdk21-tests} on a JDK 21+ runtime.
 */
@Tag("jdk21")
@EnabledForJreRange(min = JRE.JAVA_21)
class MetricsBindersJdk25Tests extends MetricsBindersTests {

}
