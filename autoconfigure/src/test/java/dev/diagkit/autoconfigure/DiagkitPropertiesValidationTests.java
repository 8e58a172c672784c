package dev.diagkit.autoconfigure;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.validation.FieldError;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Every properties class checks its values when it is bound: a bad value stops start-up, and
 * Spring Boot's failure analysis names the property as it is written and says what is
 * accepted.
 */
@ExtendWith(OutputCaptureExtension.class)
class DiagkitPropertiesValidationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DiagkitLabelsAutoConfiguration.class,
				DiagkitProfilingAutoConfiguration.class, DiagkitCapacityAutoConfiguration.class))
		.withUserConfiguration(AllProperties.class);

	@Test
	void defaultsAreValid() {
		this.contextRunner.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void eachBadValueIsRejectedWithItsPropertyAndWhatIsAccepted() {
		Map<String, List<String>> cases = Map.ofEntries(
				Map.entry("diagkit.labels.stale-after=0s", List.of("stale-after", "must be positive, was 0s")),
				Map.entry("diagkit.labels.policy.max-values-per-key=0",
						List.of("policy.max-values-per-key", "must be at least 1, was 0")),
				Map.entry("diagkit.labels.request.tenant-header= ", List.of("tenant-header", "must not be blank")),
				Map.entry("diagkit.labels.policy.value-ttl=0s", List.of("policy.value-ttl", "must be positive, was 0s")),
				Map.entry("diagkit.labels.request.tenant-values=eu-[0-9",
						List.of("tenant-values", "'eu-[0-9' is neither a plain value")),
				Map.entry("diagkit.endpoint.stacks.max-per-minute=0",
						List.of("stacks.max-per-minute", "must be at least 1, was 0")),
				Map.entry("diagkit.endpoint.trace.max-size=10KB",
						List.of("trace.max-size", "must be at least")),
				Map.entry("diagkit.profiling.cpu-interval=5s",
						List.of("cpu-interval", "must be between 1ms and 1s, was 5s")),
				Map.entry("diagkit.profiling.allocation-samples-per-second=20000",
						List.of("allocation-samples-per-second", "must be between 0 and 10000, was 20000")),
				Map.entry("diagkit.endpoint.burst=0", List.of("burst", "must be at least 1, was 0")),
				Map.entry("diagkit.endpoint.trace.default-duration=2m",
						List.of("trace.default-duration", "must be between 1s and 1m, was 2m")),
				Map.entry("diagkit.endpoint.stacks.max-size=100B",
						List.of("stacks.max-size", "must be at least 1024B, was 100B")),
				Map.entry("diagkit.security.allowed-networks=10.0.0.0/33",
						List.of("allowed-networks", "10.0.0.0/33")),
				Map.entry("diagkit.metrics.refresh-interval=-1s",
						List.of("refresh-interval", "must be positive, was -1s")),
				Map.entry("diagkit.capacity.windows=5s",
						List.of("windows", "every window must be longer than the sample interval (10s), was 5s")),
				Map.entry("diagkit.capacity.min-evidence=2h",
						List.of("min-evidence", "must be between 0 and the shortest window (1h), was 2h")),
				Map.entry("diagkit.metrics.labels.busy-sample-interval=1s",
						List.of("labels.busy-sample-interval", "must be between 10ms and 100ms, was 1s")),
				Map.entry("diagkit.labels.request.route-cache-size=0",
						List.of("route-cache-size", "must be between 1 and 65536, was 0")),
				Map.entry("diagkit.capacity.cpu.gc-share-critical=0.1",
						List.of("cpu.gc-share-critical", "must be above diagkit.capacity.cpu.gc-share-warn (0.25)")),
				Map.entry("diagkit.memory.adaptive.period=0s", List.of("adaptive.period", "must be positive, was 0s")),
				Map.entry("diagkit.memory.adaptive.reduce-ratio=1",
						List.of("adaptive.reduce-ratio", "must be above 0 and below 1, was 1.0")),
				Map.entry("diagkit.memory.adaptive.low-pressure=9", List.of("adaptive.low-pressure",
						"must be between 0 and diagkit.memory.adaptive.high-pressure (5.0), was 9.0")),
				Map.entry("diagkit.memory.adaptive.high-pressure=120",
						List.of("adaptive.high-pressure", "must be between 0 and 100, was 120.0")),
				Map.entry("diagkit.memory.adaptive.floor-ratio=0",
						List.of("adaptive.floor-ratio", "must be above 0 and at most 1, was 0.0")));
		cases.forEach((property, expected) -> this.contextRunner.withPropertyValues(property).run((context) -> {
			assertThat(context).as(property).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOfSatisfying(BindValidationException.class, (ex) -> assertThat(fieldErrors(ex))
					.as(property)
					.anySatisfy((error) -> {
						assertThat(error.getField()).isEqualTo(expected.get(0));
						assertThat(error.getDefaultMessage()).contains(expected.get(1));
					}));
		}));
	}

	@Test
	void tokensAreCheckedWhenBound() {
		this.contextRunner
			.withPropertyValues("diagkit.security.tokens[0].name=ci", "diagkit.security.tokens[0].hash=plain-secret",
					"diagkit.security.tokens[0].roles=DIAG", "diagkit.security.tokens[1].name=bad-hex",
					"diagkit.security.tokens[1].hash={sha256}abc", "diagkit.security.tokens[1].roles=DIAG",
					"diagkit.security.tokens[2].hash={sha256}" + "0".repeat(64))
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOfSatisfying(BindValidationException.class, (ex) -> assertThat(fieldErrors(ex))
					.extracting((error) -> error.getField() + ": " + error.getDefaultMessage())
					.containsExactlyInAnyOrder(
							"tokens[0].hash: diag token 'ci': the hash must start with {sha256} or {bcrypt}, was 'plain-se…'",
							"tokens[1].hash: diag token 'bad-hex': {sha256} must be followed by 64 hex digits, such as the "
									+ "output of 'printf %s \"$TOKEN\" | sha256sum'",
							"tokens[2].roles: must name at least one role, such as DIAG or DIAG_ADMIN")));
	}

	@Test
	void failureAnalysisNamesThePropertyAsWritten(CapturedOutput output) {
		assertThatException().isThrownBy(() -> new SpringApplicationBuilder(ValidationApplication.class)
			.web(WebApplicationType.NONE)
			.run("--diagkit.capacity.threads.limit=0", "--diagkit.capacity.cpu.gc-share-critical=0.1"));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Property: diagkit.capacity.threads.limit")
			.contains("Reason: must be at least 1, was 0")
			.contains("Property: diagkit.capacity.cpu.gc-share-critical")
			.contains("Reason: must be above diagkit.capacity.cpu.gc-share-warn (0.25), was 0.1");
	}

	private static List<FieldError> fieldErrors(BindValidationException ex) {
		return ex.getValidationErrors()
			.getAllErrors()
			.stream()
			.filter(FieldError.class::isInstance)
			.map(FieldError.class::cast)
			.toList();
	}

	@EnableConfigurationProperties({ DiagkitRequestLabelsProperties.class,
			DiagkitEndpointProperties.class, DiagkitSecurityProperties.class, DiagkitMetricsProperties.class,
			DiagkitMemoryProperties.class })
	static class AllProperties {

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class ValidationApplication {

	}

}
