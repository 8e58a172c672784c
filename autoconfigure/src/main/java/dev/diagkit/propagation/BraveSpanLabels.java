package dev.diagkit.propagation;

import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.CurrentTraceContext;
import brave.propagation.CurrentTraceContext.Scope;
import brave.propagation.TraceContext;
import dev.diagkit.labels.LabelSet;
import org.jspecify.annotations.Nullable;

/**
 * Gives threads the {@link SpanLabels} of the Brave span current on them, and local root
 * spans the attribute Grafana finds their profile by.
 * <ul>
 * <li>{@link #scopeDecorator()}: called each time a span's context becomes current on a
 * thread or stops being so, as Brave's MDC correlation is.</li>
 * <li>{@link #spanHandler()}: tags each local root span with
 * {@value SpanLabels#PROFILE_ID_ATTRIBUTE} as it begins.</li>
 * </ul>
 */
public final class BraveSpanLabels {

	private final SpanLabels labels;

	/**
	 * Creates the hooks.
	 * @param labels the labels of spans
	 */
	public BraveSpanLabels(SpanLabels labels) {
		this.labels = labels;
	}

	/**
	 * Returns the scope decorator that sets the labels.
	 * @return the decorator, for Brave's current trace context
	 */
	public CurrentTraceContext.ScopeDecorator scopeDecorator() {
		return this::decorateScope;
	}

	/**
	 * Returns the span handler that tags local root spans.
	 * @return the handler, for Brave's tracing
	 */
	public SpanHandler spanHandler() {
		return new ProfileIdTagger();
	}

	private Scope decorateScope(@Nullable TraceContext context, Scope scope) {
		if (scope == Scope.NOOP) {
			// the context was current already
			return scope;
		}
		LabelSet previous;
		if (context == null) {
			previous = this.labels.clear();
		}
		else if (context.isLocalRoot()) {
			previous = this.labels.enterLocalRoot(context.traceIdString(), context.spanIdString(), null);
		}
		else {
			previous = this.labels.enterChild(context.traceIdString(), context.spanIdString(),
					context.localRootIdString());
		}
		if (previous == null) {
			return scope;
		}
		return () -> {
			scope.close();
			this.labels.restore(previous);
		};
	}

	private static final class ProfileIdTagger extends SpanHandler {

		@Override
		public boolean begin(TraceContext context, MutableSpan span, @Nullable TraceContext parent) {
			if (context.isLocalRoot()) {
				span.tag(SpanLabels.PROFILE_ID_ATTRIBUTE, context.spanIdString());
			}
			return true;
		}

	}

}
