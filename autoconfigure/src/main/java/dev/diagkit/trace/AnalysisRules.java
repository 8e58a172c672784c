package dev.diagkit.trace;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Rules from outside diagkit that read a whole trace file, such as JDK Mission Control's.
 * The analyzer holds them through this interface, so that loading it never loads a rule
 * engine that is not on the class path.
 */
interface AnalysisRules {

	/** The class JDK Mission Control's rules are found by. */
	String JMC_REGISTRY = "org.openjdk.jmc.flightrecorder.rules.RuleRegistry";

	/**
	 * Returns the findings of the rules in a trace.
	 * @param file the trace
	 * @return the findings
	 * @throws IOException if the rules cannot read it
	 */
	List<Finding> evaluate(Path file) throws IOException;

	/**
	 * Returns JDK Mission Control's rules when they are on the class path, else {@code null}.
	 * @param classLoader where to look for them
	 * @return the rules, or {@code null}
	 */
	static @Nullable AnalysisRules jmc(ClassLoader classLoader) {
		try {
			Class.forName(JMC_REGISTRY, false, classLoader);
		}
		catch (ClassNotFoundException | LinkageError ex) {
			return null;
		}
		return new JmcRules();
	}

}
