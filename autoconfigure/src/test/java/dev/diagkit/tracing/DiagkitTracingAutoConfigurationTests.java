package dev.diagkit.tracing;

import dev.diagkit.autoconfigure.DiagkitLabelsAutoConfiguration;
import dev.diagkit.autoconfigure.DiagkitTracingAutoConfiguration;
import dev.diagkit.propagation.BraveSpanLabels;
import dev.diagkit.propagation.LabelBaggage;
import dev.diagkit.propagation.OtelSpanLabels;
import dev.diagkit.propagation.SpanLabels;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tracing integration's beans follow the libraries on the class path: each bridge's hook
 * only with that bridge, nothing without Micrometer Tracing, baggage only when keys are
 * listed.
 */
class DiagkitTracingAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(DiagkitLabelsAutoConfiguration.class, DiagkitTracingAutoConfiguration.class));

	@Test
	void bothBridgesPresentGiveBothHooks() {
		this.runner.run((context) -> assertThat(context).hasNotFailed()
			.hasSingleBean(SpanLabels.class)
			.hasSingleBean(BraveSpanLabels.class)
			.hasSingleBean(OtelSpanLabels.class)
			.doesNotHaveBean(LabelBaggage.class));
	}

	@Test
	void withoutBraveThereIsNoBraveHook() {
		this.runner.withClassLoader(new FilteredClassLoader("brave."))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(OtelSpanLabels.class)
				.doesNotHaveBean(BraveSpanLabels.class));
	}

	@Test
	void withoutTheOpenTelemetryBridgeThereIsNoOpenTelemetryHook() {
		this.runner.withClassLoader(new FilteredClassLoader("io.micrometer.tracing.otel.", "io.opentelemetry."))
			.withPropertyValues("diagkit.tracing.baggage-labels=tenant")
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(BraveSpanLabels.class)
				.doesNotHaveBean(OtelSpanLabels.class)
				.hasSingleBean(LabelBaggage.class));
	}

	@Test
	void withoutMicrometerTracingNothingIsConfigured() {
		this.runner.withClassLoader(new FilteredClassLoader("io.micrometer.tracing."))
			.withPropertyValues("diagkit.tracing.baggage-labels=tenant")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(SpanLabels.class)
				.doesNotHaveBean(LabelBaggage.class));
	}

	@Test
	void spanLabelsCanBeTurnedOffAndBaggageStays() {
		this.runner.withPropertyValues("diagkit.tracing.span-labels.enabled=false", "diagkit.tracing.baggage-labels=tenant")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(SpanLabels.class)
				.doesNotHaveBean(BraveSpanLabels.class)
				.hasSingleBean(LabelBaggage.class));
	}

}
