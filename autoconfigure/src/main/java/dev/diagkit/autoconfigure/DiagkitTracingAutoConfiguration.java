package dev.diagkit.autoconfigure;

import brave.handler.SpanHandler;
import brave.propagation.CurrentTraceContext;
import dev.diagkit.labels.LabelPolicy;
import dev.diagkit.propagation.BraveSpanLabels;
import dev.diagkit.propagation.OtelSpanLabels;
import dev.diagkit.propagation.SpanLabels;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.otel.bridge.EventListener;
import io.opentelemetry.sdk.trace.SpanProcessor;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of the tracing integration: profile samples labelled with the span
 * current when they were taken ({@code span_id}, {@code trace_id}, the local root's
 * {@code span_name}), through the scope hook of whichever Micrometer Tracing bridge Spring
 * Boot configures (Brave's scope decorators, the OpenTelemetry bridge's scope events). With
 * no bridge, Boot's tracer is a no-op and no hook is ever called.
 */
@AutoConfiguration(after = DiagkitLabelsAutoConfiguration.class)
@ConditionalOnClass(name = "io.micrometer.tracing.Tracer")
@ConditionalOnDiagkitEnabled({ "labels", "tracing" })
@ConditionalOnBean(LabelPolicy.class)
@EnableConfigurationProperties(DiagkitTracingProperties.class)
public final class DiagkitTracingAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(name = "diagkit.tracing.span-labels.enabled", matchIfMissing = true)
	static class SpanLabelsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		SpanLabels diagkitSpanLabels(LabelPolicy policy, DiagkitTracingProperties properties,
				ObjectProvider<ObservationRegistry> observations) {
			DiagkitTracingProperties.SpanLabels settings = properties.getSpanLabels();
			return new SpanLabels(policy, settings.isTraceId(), settings.isSpanName(),
					() -> currentObservationName(observations.getIfAvailable()));
		}

		// the span being entered is the current observation's when an observation opens it
		private static @Nullable String currentObservationName(@Nullable ObservationRegistry registry) {
			Observation observation = (registry != null) ? registry.getCurrentObservation() : null;
			if (observation == null) {
				return null;
			}
			String contextual = observation.getContextView().getContextualName();
			return (contextual != null) ? contextual : observation.getContextView().getName();
		}

		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass({ CurrentTraceContext.class, BraveSpanLabels.class })
		static class BraveConfiguration {

			@Bean
			@ConditionalOnMissingBean
			BraveSpanLabels diagkitBraveSpanLabels(SpanLabels labels) {
				return new BraveSpanLabels(labels);
			}

			@Bean
			CurrentTraceContext.ScopeDecorator diagkitSpanLabelsScopeDecorator(BraveSpanLabels labels) {
				return labels.scopeDecorator();
			}

			@Bean
			SpanHandler diagkitProfileIdSpanHandler(BraveSpanLabels labels) {
				return labels.spanHandler();
			}

		}

		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass({ EventListener.class, SpanProcessor.class, OtelSpanLabels.class })
		static class OpenTelemetryConfiguration {

			@Bean
			@ConditionalOnMissingBean
			OtelSpanLabels diagkitOtelSpanLabels(SpanLabels labels) {
				return new OtelSpanLabels(labels);
			}

			@Bean
			EventListener diagkitSpanLabelsEventListener(OtelSpanLabels labels) {
				return labels.eventListener();
			}

			@Bean
			SpanProcessor diagkitProfileIdSpanProcessor(OtelSpanLabels labels) {
				return labels.spanProcessor();
			}

		}

	}

}
