package dev.diagkit.metrics;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

/**
 * The same binders on JDK 21+, whose JFR, thread names and management beans differ. They run
 * when the build runs on a JDK 21+ (the {@code jdk21} profile).
 */
@Tag("jdk21")
@EnabledForJreRange(min = JRE.JAVA_21)
class MetricsBindersJdk25Tests extends MetricsBindersTests {

}
