package dev.diagkit.autoconfigure;

import java.util.Map;

import dev.diagkit.endpoint.DiagEndpoint;
import dev.diagkit.endpoint.ProfileSection;
import dev.diagkit.endpoint.TraceSection;
import dev.diagkit.profiling.ProfileRecorder;
import dev.diagkit.profiling.SamplingSettings;
import dev.diagkit.trace.TraceRecorder;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class DiagkitProfilingAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DiagkitProfilingAutoConfiguration.class));

	@Test
	void recordersExistWithoutTheEndpoint() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(SamplingSettings.class)
			.hasSingleBean(ProfileRecorder.class)
			.hasSingleBean(TraceRecorder.class)
			.doesNotHaveBean(DiagEndpoint.class)
			.doesNotHaveBean(ProfileSection.class));
	}

	@Test
	void backsOffWhenDisabled() {
		this.contextRunner.withPropertyValues("diagkit.profiling.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ProfileRecorder.class)
				.doesNotHaveBean(TraceRecorder.class));
		this.contextRunner.withPropertyValues("diagkit.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(SamplingSettings.class));
	}

	@Test
	void theEndpointsProfilingSectionsSayHowToTurnThemOn() {
		new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DiagkitEndpointAutoConfiguration.class,
					DiagkitProfilingAutoConfiguration.class, EndpointAutoConfiguration.class,
					WebEndpointAutoConfiguration.class))
			.withPropertyValues("management.endpoints.web.exposure.include=diag", "diagkit.profiling.enabled=false")
			.run((context) -> {
				assertThat(context).hasSingleBean(DiagEndpoint.class).doesNotHaveBean(TraceSection.class);
				WebEndpointResponse<?> trace = context.getBean(DiagEndpoint.class)
					.read("trace", null, null, "1", null, null, null, null, null, null, SecurityContext.NONE);
				assertThat(trace.getStatus()).isEqualTo(200);
				assertThat(trace.getBody()).isEqualTo(Map.of("enabled", false, "message",
						"Profiling is off (diagkit.profiling.enabled=false)"));
			});
	}

	@Test
	void theEndpointAnswersTheProfilingSectionsWhenProfilingIsOn() {
		new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DiagkitEndpointAutoConfiguration.class,
					DiagkitProfilingAutoConfiguration.class, EndpointAutoConfiguration.class,
					WebEndpointAutoConfiguration.class))
			.withPropertyValues("management.endpoints.web.exposure.include=diag")
			.run((context) -> assertThat(context).hasSingleBean(TraceSection.class)
				.hasSingleBean(ProfileSection.class));
	}

}
