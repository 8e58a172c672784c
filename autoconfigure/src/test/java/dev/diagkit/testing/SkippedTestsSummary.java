package dev.diagkit.testing;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Says at the end of a run which tests did not run and why, one line per reason, so that a
 * run missing a tool (go, Chromium) or a platform feature cannot pass for a complete one.
 * Registered for the JUnit Platform through {@code META-INF/services}; its lines are
 * warnings in the build's console.
 */
public final class SkippedTestsSummary implements TestExecutionListener {

	private static final Log logger = LogFactory.getLog(SkippedTestsSummary.class);

	private final Map<String, Set<String>> classesByReason = new TreeMap<>();

	private final Map<String, int[]> countsByReason = new TreeMap<>();

	@Override
	public synchronized void executionSkipped(TestIdentifier test, String reason) {
		record(test, reason);
	}

	@Override
	public synchronized void executionFinished(TestIdentifier test, TestExecutionResult result) {
		if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
			record(test, result.getThrowable().map(Throwable::getMessage).orElse("aborted"));
		}
	}

	private void record(TestIdentifier test, String reason) {
		String why = reason.lines().findFirst().orElse(reason).replaceFirst("^Assumption failed: ", "");
		this.classesByReason.computeIfAbsent(why, (r) -> new TreeSet<>()).add(className(test).orElse(test.getDisplayName()));
		this.countsByReason.computeIfAbsent(why, (r) -> new int[2])[test.isTest() ? 0 : 1]++;
	}

	private static String count(int[] testsAndClasses) {
		String tests = testsAndClasses[0] + ((testsAndClasses[0] == 1) ? " test" : " tests");
		if (testsAndClasses[1] == 0) {
			return tests;
		}
		String classes = testsAndClasses[1] + ((testsAndClasses[1] == 1) ? " test class" : " test classes");
		return (testsAndClasses[0] == 0) ? classes : tests + " and " + classes;
	}

	private static Optional<String> className(TestIdentifier test) {
		Optional<TestSource> source = test.getSource();
		if (source.isPresent() && source.get() instanceof MethodSource method) {
			return Optional.of(simpleName(method.getClassName()));
		}
		if (source.isPresent() && source.get() instanceof ClassSource type) {
			return Optional.of(simpleName(type.getClassName()));
		}
		return Optional.empty();
	}

	private static String simpleName(String className) {
		return className.substring(className.lastIndexOf('.') + 1);
	}

	@Override
	public synchronized void testPlanExecutionFinished(TestPlan testPlan) {
		this.classesByReason.forEach((reason, classes) -> logger.warn("[diagkit] not run: "
				+ count(this.countsByReason.get(reason)) + " in " + String.join(", ", classes) + ": " + reason));
	}

}
