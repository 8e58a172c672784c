package dev.diagkit.propagation;

import io.micrometer.tracing.otel.bridge.EventListener;
import io.micrometer.tracing.otel.bridge.EventPublishingContextWrapper.ScopeAttachedEvent;
import io.micrometer.tracing.otel.bridge.EventPublishingContextWrapper.ScopeRestoredEvent;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import org.jspecify.annotations.Nullable;

/**
 * Gives threads the {@link SpanLabels} of the OpenTelemetry span current on them, and local
 * root spans the attribute Grafana finds their profile by.
 * <ul>
 * <li>{@link #eventListener()}: hears the scope events the Micrometer Tracing bridge
 * publishes each time a context is attached to a thread or the one before is restored, as
 * the bridge's MDC correlation does. OpenTelemetry's context storage is one per JVM: every
 * application context in the JVM hears every scope event, and each sets the same labels for
 * the same span.</li>
 * <li>{@link #spanProcessor()}: sets {@value SpanLabels#PROFILE_ID_ATTRIBUTE} on each local
 * root span as it starts.</li>
 * </ul>
 * An OpenTelemetry span does not know its local root: a thread that enters a child span
 * without having entered the root, nor running work handed over from a thread that did, is
 * labelled with the child's own id.
 */
public final class OtelSpanLabels {

	private final SpanLabels labels;

	/**
	 * Creates the hooks.
	 * @param labels the labels of spans
	 */
	public OtelSpanLabels(SpanLabels labels) {
		this.labels = labels;
	}

	/**
	 * Returns the listener that sets the labels.
	 * @return the listener, for the bridge's event publisher
	 */
	public EventListener eventListener() {
		return (event) -> {
			if (event instanceof ScopeAttachedEvent attached) {
				enter(attached.getSpan());
			}
			else if (event instanceof ScopeRestoredEvent restored) {
				enter(restored.getSpan());
			}
		};
	}

	/**
	 * Returns the processor that sets the profile id of local root spans.
	 * @return the processor, for the tracer provider
	 */
	public SpanProcessor spanProcessor() {
		return new ProfileIdProcessor();
	}

	private void enter(@Nullable Span span) {
		SpanContext context = (span != null) ? span.getSpanContext() : null;
		if (context == null || !context.isValid()) {
			this.labels.clear();
		}
		else if (span instanceof ReadableSpan readable && isLocalRoot(readable.getParentSpanContext())) {
			this.labels.enterLocalRoot(context.getTraceId(), context.getSpanId(), readable.getName());
		}
		else {
			this.labels.enterChild(context.getTraceId(), context.getSpanId(), null);
		}
	}

	private static boolean isLocalRoot(SpanContext parent) {
		return !parent.isValid() || parent.isRemote();
	}

	private static final class ProfileIdProcessor implements SpanProcessor {

		@Override
		public void onStart(Context parentContext, ReadWriteSpan span) {
			if (isLocalRoot(span.getParentSpanContext())) {
				span.setAttribute(SpanLabels.PROFILE_ID_ATTRIBUTE, span.getSpanContext().getSpanId());
			}
		}

		@Override
		public boolean isStartRequired() {
			return true;
		}

		@Override
		public void onEnd(ReadableSpan span) {
		}

		@Override
		public boolean isEndRequired() {
			return false;
		}

	}

}
