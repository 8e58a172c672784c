package dev.diagkit.capacity;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.diagkit.testing.ExternalTool;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The alerting rules shipped in {@code docs/prometheus}, read by the real {@code promtool}
 * (Debian's {@code prometheus} package): they parse, and their unit tests (an alert after a
 * warning that lasts, none for a short one or for insufficient data) pass. Without
 * {@code promtool} the test fails when {@code CI=true} and is skipped otherwise.
 */
class CapacityAlertRulesTests {

	private static final Path RULES = Path.of("..", "docs", "prometheus");

	@Test
	void rulesParseAndTheirUnitTestsPass() throws Exception {
		Path promtool = promtool();
		assertThat(run(promtool, "check", "rules", "diagkit-capacity-rules.yml")).contains("SUCCESS: 10 rules found");
		assertThat(run(promtool, "test", "rules", "diagkit-capacity-rules.test.yml")).contains("SUCCESS");
	}

	@Test
	void everyBudgetHasAWarningAndACriticalAlertOnTheVerdictGauge() throws Exception {
		String rules = Files.readString(RULES.resolve("diagkit-capacity-rules.yml"));
		for (String budget : List.of("cpu", "memory", "threads", "latency", "gc")) {
			assertThat(rules).contains("expr: diagkit_capacity_verdict{budget=\"" + budget + "\"} == 1")
				.contains("expr: diagkit_capacity_verdict{budget=\"" + budget + "\"} == 2");
		}
	}

	private static String run(Path promtool, String... args) throws Exception {
		List<String> command = new ArrayList<>();
		command.add(promtool.toString());
		command.addAll(List.of(args));
		Path output = Files.createTempFile("promtool-", ".txt");
		try {
			Process process = new ProcessBuilder(command).directory(RULES.toFile())
				.redirectErrorStream(true)
				.redirectOutput(output.toFile())
				.start();
			assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("promtool ended").isTrue();
			String printed = Files.readString(output, StandardCharsets.UTF_8);
			assertThat(process.exitValue()).as(printed).isZero();
			return printed;
		}
		finally {
			Files.deleteIfExists(output);
		}
	}

	private static Path promtool() {
		return ExternalTool.locate("promtool", "apt-get install -y prometheus", Path.of("/usr/bin/promtool"));
	}

}
