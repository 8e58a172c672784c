package dev.diagkit.autoconfigure;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import brave.baggage.BaggageField;
import brave.baggage.BaggagePropagationConfig;
import brave.baggage.BaggagePropagationCustomizer;
import brave.handler.SpanHandler;
import brave.propagation.CurrentTraceContext;
import dev.diagkit.labels.LabelPolicy;
import dev.diagkit.propagation.BraveSpanLabels;
import dev.diagkit.propagation.LabelBaggage;
import dev.diagkit.propagation.OtelSpanLabels;
import dev.diagkit.propagation.SpanLabels;
import dev.diagkit.propagation.TracerLabelBaggage;
import dev.diagkit.web.ReactiveBaggageLabelsFilter;
import dev.diagkit.web.RequestLabelSets;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.otel.bridge.EventListener;
import io.opentelemetry.sdk.trace.SpanProcessor;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.function.SingletonSupplier;

/**
 * Auto-configuration of the tracing integration: profile samples labelled with the span
 * current when they were taken ({@code span_id}, {@code trace_id}, the local root's
 * {@code span_name}), through the scope hook of whichever Micrometer Tracing bridge Spring
 * Boot configures (Brave's scope decorators, the OpenTelemetry bridge's scope events). With
 * no bridge, Boot's tracer is a no-op and no hook is ever called. Labels listed in
 * {@code diagkit.tracing.baggage-labels} cross services as baggage ({@link LabelBaggage}),
 * used by request labelling.
 */
@AutoConfiguration(after = { DiagkitLabelsAutoConfiguration.class, DiagkitReactiveRequestLabelsAutoConfiguration.class })
@ConditionalOnClass(name = "io.micrometer.tracing.Tracer")
@ConditionalOnDiagkitEnabled({ "labels", "tracing" })
@ConditionalOnBean(LabelPolicy.class)
@EnableConfigurationProperties(DiagkitTracingProperties.class)
public final class DiagkitTracingAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@Conditional(OnBaggageLabelsCondition.class)
	static class BaggageConfiguration {

		@Bean
		@ConditionalOnMissingBean
		LabelBaggage diagkitLabelBaggage(ObjectProvider<Tracer> tracer, LabelPolicy policy,
				DiagkitTracingProperties properties) {
			return new TracerLabelBaggage(tracer::getIfAvailable, properties.getBaggageLabels(), policy,
					properties.isBaggageOverridesHeader());
		}

		/**
		 * WebFlux requests take baggage after Spring Security and attach theirs to the server
		 * span, where {@code WebClient} calls find it on any thread.
		 */
		@Configuration(proxyBeanMethods = false)
		@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
		@ConditionalOnClass(name = { "org.springframework.web.server.WebFilter",
				"io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor" })
		@ConditionalOnBean(RequestLabelSets.class)
		static class ReactiveBaggageConfiguration {

			@Bean
			@ConditionalOnMissingBean
			ReactiveBaggageLabelsFilter diagkitReactiveBaggageLabelsFilter(RequestLabelSets sets,
					LabelBaggage baggage) {
				return new ReactiveBaggageLabelsFilter(sets, baggage);
			}

		}

		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass(BaggagePropagationCustomizer.class)
		static class BraveBaggageConfiguration {

			// Brave propagates only the baggage fields declared to it. Spring Boot declares those
			// of management.tracing.baggage, in a customizer that may run after this one: a key
			// declared twice fails the start.
			@Bean
			BaggagePropagationCustomizer diagkitBaggageLabelsPropagation(LabelBaggage baggage, Environment environment) {
				Set<String> declaredByBoot = new HashSet<>();
				for (String property : List.of("management.tracing.baggage.remote-fields",
						"management.tracing.baggage.local-fields")) {
					Binder.get(environment)
						.bind(property, Bindable.listOf(String.class))
						.orElse(List.of())
						.forEach((field) -> declaredByBoot.add(field.toLowerCase(Locale.ROOT)));
				}
				return (builder) -> {
					Set<String> declared = new HashSet<>(declaredByBoot);
					for (BaggagePropagationConfig config : builder.configs()) {
						if (config instanceof BaggagePropagationConfig.SingleBaggageField single) {
							declared.add(single.field().name().toLowerCase(Locale.ROOT));
						}
					}
					for (String key : baggage.keys()) {
						if (!declared.contains(key.toLowerCase(Locale.ROOT))) {
							builder.add(BaggagePropagationConfig.SingleBaggageField.remote(BaggageField.create(key)));
						}
					}
				};
			}

		}

	}

	/** Matches when {@code diagkit.tracing.baggage-labels} lists at least one key. */
	static class OnBaggageLabelsCondition extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			List<String> keys = Binder.get(context.getEnvironment())
				.bind("diagkit.tracing.baggage-labels", Bindable.listOf(String.class))
				.orElse(List.of());
			return keys.isEmpty() ? ConditionOutcome.noMatch("diagkit.tracing.baggage-labels is empty")
					: ConditionOutcome.match("diagkit.tracing.baggage-labels is " + keys);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(name = "diagkit.tracing.span-labels.enabled", matchIfMissing = true)
	static class SpanLabelsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		SpanLabels diagkitSpanLabels(LabelPolicy policy, DiagkitTracingProperties properties,
				ObjectProvider<ObservationRegistry> observations) {
			// looked up on first use, and once: the registry's handlers lead to the tracer, whose
			// scope hook needs these labels
			SingletonSupplier<ObservationRegistry> registry = SingletonSupplier.of(observations::getIfAvailable);
			return new SpanLabels(policy, properties.getSpanLabels().isSpanName(),
					() -> currentObservationName(registry.get()));
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
