package dev.diagkit.sample.observed;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import dev.diagkit.labels.ProfilingLabels;

import org.springframework.stereotype.Component;

/**
 * Remembers the labels that recent work ran under, per source (requests, receipts,
 * fulfilment, inventory), so that {@code GET /labels} and the tests can show what each
 * thread saw. Keeps the last {@value #KEPT_PER_SOURCE} observations of each source.
 */
@Component
public class LabelObservations {

	/** Observations of controller threads. */
	public static final String REQUEST = "request";

	/** Observations of the {@code @Async} receipt sender. */
	public static final String RECEIPT = "receipt";

	/** Observations of the fulfilment queue consumer. */
	public static final String FULFILMENT = "fulfilment";

	/** Observations of the scheduled inventory reconciliation. */
	public static final String INVENTORY = "inventory";

	static final int KEPT_PER_SOURCE = 100;

	private final Map<String, Deque<Observation>> bySource = new ConcurrentHashMap<>();

	/**
	 * Records the current thread's labels.
	 * @param source what kind of work this is, such as {@link #RECEIPT}
	 * @param subject what the work was about, such as an order id
	 * @return the observation
	 */
	public Observation record(String source, String subject) {
		Observation observation = new Observation(source, subject, Thread.currentThread().getName(),
				ProfilingLabels.current().asMap(), Instant.now());
		Deque<Observation> recent = this.bySource.computeIfAbsent(source, (key) -> new ArrayDeque<>());
		synchronized (recent) {
			recent.addLast(observation);
			if (recent.size() > KEPT_PER_SOURCE) {
				recent.removeFirst();
			}
		}
		return observation;
	}

	/**
	 * Returns the recent observations of a source, oldest first.
	 * @param source the source
	 * @return the observations
	 */
	public List<Observation> recent(String source) {
		Deque<Observation> recent = this.bySource.get(source);
		if (recent == null) {
			return List.of();
		}
		synchronized (recent) {
			return List.copyOf(recent);
		}
	}

	/**
	 * Returns the latest observation of each source.
	 * @return the observations in source order
	 */
	public Map<String, Observation> latest() {
		Map<String, Observation> latest = new TreeMap<>();
		this.bySource.forEach((source, recent) -> {
			synchronized (recent) {
				if (!recent.isEmpty()) {
					latest.put(source, recent.getLast());
				}
			}
		});
		return latest;
	}

	/**
	 * The labels one thread had while doing one piece of work.
	 *
	 * @param source what kind of work it was
	 * @param subject what the work was about
	 * @param thread the thread's name
	 * @param labels the thread's labels
	 * @param at when they were recorded
	 */
	public record Observation(String source, String subject, String thread, Map<String, String> labels, Instant at) {
	}

}
