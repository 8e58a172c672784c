package dev.diagkit.propagation;

import java.util.Set;
import java.util.function.Predicate;

import dev.diagkit.labels.LabelSet;
import org.jspecify.annotations.Nullable;

/**
 * Labels that cross service boundaries as tracing baggage: an allow-list of keys, written on
 * the calls a request makes and taken from the baggage of the requests it receives. Plain
 * types only, so that request labelling needs no tracing library; {@link TracerLabelBaggage}
 * is the implementation over Micrometer Tracing.
 */
public interface LabelBaggage {

	/**
	 * Returns the label keys carried as baggage.
	 * @return the keys, never empty
	 */
	Set<String> keys();

	/**
	 * Returns whether an incoming value wins over what the request states itself (the
	 * tenant header, say).
	 * @return whether baggage wins
	 */
	boolean overridesRequest();

	/**
	 * Returns the value the current trace's baggage holds for a key, as it came in.
	 * @param key the key, one of {@link #keys()}
	 * @return the value, or {@code null} when there is none
	 */
	@Nullable String incoming(String key);

	/**
	 * Returns the labels the current trace's baggage brings, for the keys carried that
	 * {@code wanted} accepts, each value passed through the label policy.
	 * @param wanted which keys the caller takes from baggage (not those it has already)
	 * @return the labels, empty when the baggage holds none
	 */
	LabelSet adopt(Predicate<String> wanted);

	/**
	 * Writes the carried keys of {@code labels} as baggage of the current trace until the
	 * returned handle is closed, so that the calls made meanwhile carry them. Values the label
	 * policy redacted or replaced by its overflow value are not written.
	 * @param labels the labels
	 * @return the handle to close on the same thread, in the reverse order of opening
	 */
	Carried carry(LabelSet labels);

	/**
	 * Writes the carried keys of {@code labels} as baggage of the current span itself, for as
	 * long as the span lives, so that the spans started from it on any thread carry them: for
	 * a WebFlux request, whose calls leave the thread that labelled it. Values the label
	 * policy redacted or replaced by its overflow value are not written. Only bridges that
	 * keep baggage in the span's context honour it (Brave); OpenTelemetry keeps it in the
	 * thread's context, and puts that back when the span's scope closes. The default writes
	 * nothing, so that implementations written before this method still compile.
	 * @param labels the labels
	 */
	default void attach(LabelSet labels) {
	}

	/**
	 * Baggage written by {@link #carry}, until closed.
	 */
	interface Carried extends AutoCloseable {

		/** A handle that wrote nothing. */
		Carried NONE = () -> {
		};

		@Override
		void close();

	}

}
