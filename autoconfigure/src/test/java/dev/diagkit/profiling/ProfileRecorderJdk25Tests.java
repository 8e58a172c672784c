package dev.diagkit.profiling;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

/**
 * The same recordings on JDK 21+, where CPU profiles use {@code jdk.CPUTimeSample} when the
 * JVM has it (JDK 25). They run when the build runs on a JDK 21+ (the {@code jdk21} profile).
 */
@Tag("jdk21")
@EnabledForJreRange(min = JRE.JAVA_21)
class ProfileRecorderJdk25Tests extends ProfileRecorderTests {

}
