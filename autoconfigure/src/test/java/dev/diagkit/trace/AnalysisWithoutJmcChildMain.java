package dev.diagkit.trace;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import dev.diagkit.profiling.SamplingSettings;
import dev.diagkit.testing.ChildJvm;

/**
 * Analyses a short trace on a class path without JDK Mission Control's rules and reports
 * what analysed it.
 */
public final class AnalysisWithoutJmcChildMain {

	private AnalysisWithoutJmcChildMain() {
	}

	public static void main(String[] args) throws Exception {
		Properties results = new Properties();
		results.setProperty("jmcPresent", Boolean.toString(present("org.openjdk.jmc.flightrecorder.rules.RuleRegistry")));
		TraceAnalyzer analyzer = new TraceAnalyzer(0.8, true);
		results.setProperty("runsJmcRules", Boolean.toString(analyzer.runsJmcRules()));
		SamplingSettings sampling = new SamplingSettings(
				new SamplingSettings.Values(Duration.ofMillis(10), 100, Duration.ofMillis(10)));
		try (TraceRecorder recorder = new TraceRecorder(sampling)) {
			Path file = recorder.record(Duration.ofSeconds(1), "default");
			TraceReport report = analyzer.analyze(file, "capture");
			Files.delete(file);
			recorder.deleted(file);
			results.setProperty("analysers", String.join(",", report.analysers()));
		}
		ChildJvm.report(args[0], results);
	}

	private static boolean present(String name) {
		try {
			Class.forName(name);
			return true;
		}
		catch (ClassNotFoundException ex) {
			return false;
		}
	}

}
