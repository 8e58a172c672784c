package dev.diagkit.propagation;

import java.util.function.Supplier;

import dev.diagkit.labels.LabelPolicy;
import dev.diagkit.labels.LabelSet;
import dev.diagkit.labels.ProfilingLabels;
import dev.diagkit.labels.spi.LabelScopes;
import org.jspecify.annotations.Nullable;

/**
 * The labels a trace lends to the profile samples taken while one of its spans is current on
 * a thread, following the convention Grafana's traces-to-profiles and Pyroscope use:
 * <ul>
 * <li>{@code span_id}: the id of the local root span (the first span of the trace in this
 * process, usually the server span of a request), kept while its child spans run, so that a
 * root span's id selects all the CPU of its work in this service;</li>
 * <li>{@code trace_id};</li>
 * <li>{@code span_name}: the local root's name as it started (the observation's name, such
 * as {@code http.server.requests}: tracers give a span its final name, the route included,
 * only when it stops), bounded by the label policy.</li>
 * </ul>
 * Pyroscope keeps {@code span_id} and {@code trace_id} out of its series (they go to
 * per-sample columns); {@code span_name} is an ordinary series label there. The local root
 * span also gets the attribute {@value #PROFILE_ID_ATTRIBUTE}, which Grafana needs to offer
 * a span's profile.
 * <p>
 * The labels lie over the thread's own labels ({@link LabelScopes#swapSpan}): label scopes
 * and span scopes open and close independently of each other.
 */
public final class SpanLabels {

	/** The label key of the local root span's id (16 lowercase hex digits). */
	public static final String SPAN_ID = "span_id";

	/** The label key of the trace's id (32 lowercase hex digits). */
	public static final String TRACE_ID = "trace_id";

	/** The label key of the local root span's name. */
	public static final String SPAN_NAME = "span_name";

	/** The span attribute by which Grafana finds a span's profile: the span's own id. */
	public static final String PROFILE_ID_ATTRIBUTE = "pyroscope.profile.id";

	private final LabelPolicy policy;

	private final boolean spanName;

	private final Supplier<@Nullable String> currentName;

	/**
	 * Creates span labels.
	 * @param policy bounds the span names
	 * @param spanName whether to add {@code span_name}
	 * @param currentName the name of the current observation (which opens most spans), or
	 * {@code null} when none is current
	 */
	public SpanLabels(LabelPolicy policy, boolean spanName, Supplier<@Nullable String> currentName) {
		this.policy = policy;
		this.spanName = spanName;
		this.currentName = currentName;
	}

	/**
	 * Returns the labels of a local root span.
	 * @param traceId the trace id
	 * @param spanId the span id
	 * @param tracerName the name the tracer gives the span, used when no observation names it
	 * (tracers name an observation's span only once it stops), or {@code null}
	 * @return the labels
	 */
	public LabelSet of(String traceId, String spanId, @Nullable String tracerName) {
		String name = null;
		if (this.spanName) {
			name = this.currentName.get();
			if (name == null) {
				name = tracerName;
			}
		}
		if (name != null && !name.isBlank()) {
			return LabelSet.of(SPAN_ID, spanId, TRACE_ID, traceId, SPAN_NAME, this.policy.admitValue(SPAN_NAME, name));
		}
		return LabelSet.of(SPAN_ID, spanId, TRACE_ID, traceId);
	}

	/**
	 * Makes a local root span's labels the current thread's span labels.
	 * @param traceId the trace id
	 * @param spanId the span id
	 * @param tracerName the name the tracer gives the span, used when no observation names it,
	 * or {@code null}
	 * @return the span labels replaced, to put back with {@link #restore}, or {@code null}
	 * when the thread runs under the span's labels already
	 */
	public @Nullable LabelSet enterLocalRoot(String traceId, String spanId, @Nullable String tracerName) {
		if (spanId.equals(ProfilingLabels.current().get(SPAN_ID))) {
			return null;
		}
		return LabelScopes.swapSpan(of(traceId, spanId, tracerName));
	}

	/**
	 * Enters a span that is not a local root. When the thread runs under its local root's
	 * labels already (it entered the root, or runs work handed over from a thread that did),
	 * they stay; otherwise the root is named by {@code localRootId}, or, when the tracer does
	 * not know it, by the span itself.
	 * @param traceId the trace id
	 * @param spanId the span id
	 * @param localRootId the id of the local root span, {@code null} when the tracer does not
	 * know it
	 * @return the span labels replaced, to put back with {@link #restore}, or {@code null}
	 * when nothing changed
	 */
	public @Nullable LabelSet enterChild(String traceId, String spanId, @Nullable String localRootId) {
		LabelSet current = ProfilingLabels.current();
		String root = current.get(SPAN_ID);
		if (root != null
				&& ((localRootId != null) ? root.equals(localRootId) : traceId.equals(current.get(TRACE_ID)))) {
			return null;
		}
		String id = (localRootId != null) ? localRootId : spanId;
		return LabelScopes.swapSpan(LabelSet.of(SPAN_ID, id, TRACE_ID, traceId));
	}

	/**
	 * Takes the span labels off the current thread: no span is current any more.
	 * @return the span labels replaced, to put back with {@link #restore}
	 */
	public LabelSet clear() {
		return LabelScopes.swapSpan(LabelSet.empty());
	}

	/**
	 * Puts back span labels that {@link #enterLocalRoot}, {@link #enterChild} or
	 * {@link #clear} replaced.
	 * @param previous the labels they returned
	 */
	public void restore(LabelSet previous) {
		LabelScopes.swapSpan(previous);
	}

}
