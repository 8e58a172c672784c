package dev.diagkit.propagation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

import dev.diagkit.labels.LabelPolicy;
import dev.diagkit.labels.LabelSet;
import io.micrometer.tracing.Baggage;
import io.micrometer.tracing.BaggageInScope;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.jspecify.annotations.Nullable;

/**
 * {@link LabelBaggage} over a Micrometer Tracing {@link Tracer}: works with whichever bridge
 * Spring Boot configures. Brave propagates only the baggage fields declared to it: the
 * auto-configuration declares the carried keys as remote fields. OpenTelemetry's W3C
 * {@code baggage} header carries every entry.
 */
public final class TracerLabelBaggage implements LabelBaggage {

	private final Supplier<@Nullable Tracer> tracerLookup;

	/** The tracer once looked up; Spring Boot's no-op tracer counts as none. */
	private volatile @Nullable Tracer tracer;

	private volatile boolean looked;

	private final Set<String> keys;

	private final LabelPolicy policy;

	private final boolean overridesRequest;

	/**
	 * Creates the baggage.
	 * @param tracer finds the tracer, on first use ({@code null} or Spring Boot's no-op tracer
	 * when no bridge is configured: then nothing is read or written)
	 * @param keys the label keys carried; not empty
	 * @param policy guards the values that come in and decides which go out
	 * @param overridesRequest whether an incoming value wins over what the request states
	 * itself
	 */
	public TracerLabelBaggage(Supplier<@Nullable Tracer> tracer, List<String> keys, LabelPolicy policy,
			boolean overridesRequest) {
		if (keys.isEmpty()) {
			throw new IllegalArgumentException("keys must not be empty");
		}
		for (String key : keys) {
			if (key == null || key.isBlank()) {
				throw new IllegalArgumentException("Baggage label keys must not be blank, was " + keys);
			}
		}
		this.tracerLookup = tracer;
		this.keys = Set.copyOf(new LinkedHashSet<>(keys));
		this.policy = policy;
		this.overridesRequest = overridesRequest;
	}

	@Override
	public Set<String> keys() {
		return this.keys;
	}

	@Override
	public boolean overridesRequest() {
		return this.overridesRequest;
	}

	private @Nullable Tracer tracer() {
		if (!this.looked) {
			Tracer found = this.tracerLookup.get();
			this.tracer = (found == Tracer.NOOP) ? null : found;
			this.looked = true;
		}
		return this.tracer;
	}

	@Override
	public @Nullable String incoming(String key) {
		Tracer t = tracer();
		return (t != null) ? value(incoming(t), key) : null;
	}

	// read without Tracer.getBaggage, which on OpenTelemetry writes an empty entry for a key the
	// baggage lacks
	private static Map<String, String> incoming(Tracer tracer) {
		return tracer.getAllBaggage();
	}

	private static @Nullable String value(Map<String, String> baggage, String key) {
		String value = baggage.get(key);
		return (value == null || value.isBlank()) ? null : value.trim();
	}

	@Override
	public LabelSet adopt(Predicate<String> wanted) {
		Tracer t = tracer();
		if (t == null) {
			return LabelSet.empty();
		}
		Map<String, String> baggage = incoming(t);
		LabelSet labels = LabelSet.empty();
		for (String key : this.keys) {
			if (wanted.test(key)) {
				String value = value(baggage, key);
				if (value != null) {
					labels = labels.with(this.policy.apply(key, value));
				}
			}
		}
		return labels;
	}

	@Override
	public Carried carry(LabelSet labels) {
		Tracer t = tracer();
		Map<String, String> values = (t != null) ? toWrite(t, labels) : Map.of();
		if (values.isEmpty()) {
			return Carried.NONE;
		}
		List<BaggageInScope> scopes = new ArrayList<>(values.size());
		values.forEach((key, value) -> {
			// Baggage.makeCurrent, not Tracer.createBaggageInScope: closing the latter's scope on
			// OpenTelemetry loses the context it replaced
			Baggage baggage = t.getBaggage(key);
			scopes.add((baggage != null) ? baggage.makeCurrent(value) : t.createBaggageInScope(key, value));
		});
		return () -> {
			for (int i = scopes.size() - 1; i >= 0; i--) {
				scopes.get(i).close();
			}
		};
	}

	@Override
	public void attach(LabelSet labels) {
		Tracer t = tracer();
		Span span = (t != null) ? t.currentSpan() : null;
		if (span == null) {
			return;
		}
		// set on the span's context, not made current: Brave keeps the value there and hands it to
		// the spans started from this one, wherever they start
		toWrite(t, labels).forEach((key, value) -> t.createBaggage(key).set(span.context(), value));
	}

	/** The carried labels whose values may leave, and differ from what the baggage holds. */
	private Map<String, String> toWrite(Tracer tracer, LabelSet labels) {
		Map<String, String> current = null;
		Map<String, String> values = null;
		for (String key : this.keys) {
			String value = labels.get(key);
			if (value == null || !carries(value)) {
				continue;
			}
			if (current == null) {
				current = incoming(tracer);
			}
			if (value.equals(value(current, key))) {
				continue;
			}
			if (values == null) {
				values = new LinkedHashMap<>();
			}
			values.put(key, value);
		}
		return (values != null) ? values : Map.of();
	}

	private boolean carries(String value) {
		return !value.equals(this.policy.redactedValue()) && !value.equals(this.policy.overflowValue())
				&& !LabelPolicy.looksLikeSecret(value);
	}

}
