package dev.diagkit.tracing;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import brave.Tracing;
import brave.baggage.BaggageField;
import brave.baggage.BaggagePropagation;
import brave.baggage.BaggagePropagationConfig;
import brave.propagation.B3Propagation;
import brave.propagation.ThreadLocalCurrentTraceContext;
import dev.diagkit.labels.LabelPolicy;
import dev.diagkit.labels.LabelSet;
import dev.diagkit.propagation.LabelBaggage;
import dev.diagkit.propagation.TracerLabelBaggage;
import io.micrometer.tracing.BaggageInScope;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.brave.bridge.BraveBaggageManager;
import io.micrometer.tracing.brave.bridge.BraveCurrentTraceContext;
import io.micrometer.tracing.brave.bridge.BraveTracer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What crosses as baggage, over a real Brave tracer with the keys declared as remote fields:
 * the listed keys only, never a value the label policy redacted or overflowed or one that
 * looks like a secret, and nothing at all with Spring Boot's no-op tracer.
 */
class TracerLabelBaggageTests {

	private final Tracing tracing = Tracing.newBuilder()
		.currentTraceContext(ThreadLocalCurrentTraceContext.create())
		.propagationFactory(BaggagePropagation.newFactoryBuilder(B3Propagation.FACTORY)
			.add(BaggagePropagationConfig.SingleBaggageField.remote(BaggageField.create("tenant")))
			.add(BaggagePropagationConfig.SingleBaggageField.remote(BaggageField.create("plan")))
			.add(BaggagePropagationConfig.SingleBaggageField.remote(BaggageField.create("token")))
			.build())
		.build();

	private final Tracer tracer = new BraveTracer(this.tracing.tracer(),
			new BraveCurrentTraceContext(this.tracing.currentTraceContext()), new BraveBaggageManager());

	private final TracerLabelBaggage baggage = new TracerLabelBaggage(() -> this.tracer,
			List.of("tenant", "plan", "token"), LabelPolicy.defaults(), false);

	@AfterEach
	void close() {
		this.tracing.close();
	}

	@Test
	void writesTheListedKeysOfTheLabelsUntilClosed() {
		Span span = this.tracer.nextSpan().start();
		try (Tracer.SpanInScope scope = this.tracer.withSpan(span)) {
			try (LabelBaggage.Carried carried = this.baggage.carry(LabelSet.of("tenant", "acme", "plan", "gold",
					"user", "bob"))) {
				assertThat(this.tracer.getAllBaggage()).containsEntry("tenant", "acme")
					.containsEntry("plan", "gold")
					.doesNotContainKey("user");
			}
			assertThat(this.tracer.getAllBaggage()).doesNotContainKeys("tenant", "plan");
		}
		finally {
			span.end();
		}
	}

	@Test
	void neverWritesRedactedOverflowOrSecretLookingValues() {
		Span span = this.tracer.nextSpan().start();
		try (Tracer.SpanInScope scope = this.tracer.withSpan(span);
				LabelBaggage.Carried carried = this.baggage.carry(LabelSet.of("tenant", "_other", "plan", "_redacted",
						"token", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlc2lnbmF0dXJl"))) {
			assertThat(carried).isSameAs(LabelBaggage.Carried.NONE);
			assertThat(this.tracer.getAllBaggage()).isEmpty();
		}
		finally {
			span.end();
		}
	}

	@Test
	void incomingValuesGoThroughTheLabelPolicy() {
		Span span = this.tracer.nextSpan().start();
		try (Tracer.SpanInScope scope = this.tracer.withSpan(span);
				BaggageInScope plan = this.tracer.createBaggageInScope("plan", "gold");
				BaggageInScope token = this.tracer.createBaggageInScope("token", "abc")) {
			assertThat(this.baggage.incoming("plan")).isEqualTo("gold");
			assertThat(this.baggage.adopt((key) -> true)).as("token is a denied key").isEqualTo(LabelSet.of("plan", "gold"));
			assertThat(this.baggage.adopt((key) -> !"plan".equals(key))).isEqualTo(LabelSet.empty());
			assertThat(this.baggage.carry(LabelSet.of("plan", "gold"))).as("already there as it came")
				.isSameAs(LabelBaggage.Carried.NONE);
		}
		finally {
			span.end();
		}
	}

	@Test
	void attachedValuesStayWithTheSpanAndReachItsChildrenOnAnotherThread() throws Exception {
		Span span = this.tracer.nextSpan().start();
		try {
			try (Tracer.SpanInScope scope = this.tracer.withSpan(span)) {
				this.baggage.attach(LabelSet.of("tenant", "acme", "plan", "_redacted", "user", "bob"));
			}
			assertThat(this.tracer.getAllBaggage(span.context())).containsEntry("tenant", "acme")
				.doesNotContainKeys("plan", "user");
			CompletableFuture<Map<String, String>> child = CompletableFuture.supplyAsync(() -> {
				Span call = this.tracer.nextSpan(span).start();
				try {
					return this.tracer.getAllBaggage(call.context());
				}
				finally {
					call.end();
				}
			});
			assertThat(child.get(10, TimeUnit.SECONDS)).containsEntry("tenant", "acme");
		}
		finally {
			span.end();
		}
	}

	@Test
	void springBootsNoOpTracerReadsAndWritesNothing() {
		TracerLabelBaggage noop = new TracerLabelBaggage(() -> Tracer.NOOP, List.of("tenant"), LabelPolicy.defaults(),
				false);
		assertThat(noop.incoming("tenant")).isNull();
		assertThat(noop.adopt((key) -> true)).isEqualTo(LabelSet.empty());
		assertThat(noop.carry(LabelSet.of("tenant", "acme"))).isSameAs(LabelBaggage.Carried.NONE);
		noop.attach(LabelSet.of("tenant", "acme"));
		assertThat(Tracer.NOOP.getAllBaggage()).isEmpty();
	}

}
