package dev.diagkit.sample.observed;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The body of {@code GET /labels}: live label activity of the application.
 *
 * @param activeCounts live threads per label key and value
 * @param threads every live thread that carries labels now
 * @param overflowCounts values that the label policy replaced by its overflow value, per
 * key
 * @param lastObserved the labels each kind of sample work ran under last time
 */
public record LabelActivity(Map<String, Map<String, Integer>> activeCounts, List<ThreadView> threads,
		Map<String, Long> overflowCounts, Map<String, LabelObservations.Observation> lastObserved) {

	/**
	 * One labelled thread.
	 *
	 * @param name the thread's name
	 * @param labels its labels
	 * @param since when it got them, or {@code null} if unknown
	 */
	public record ThreadView(String name, Map<String, String> labels, @Nullable Instant since) {
	}

}
