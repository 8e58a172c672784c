package dev.diagkit.web;

import java.util.concurrent.ConcurrentHashMap;

import dev.diagkit.labels.LabelSet;
import org.jspecify.annotations.Nullable;

/**
 * Label sets a {@link RequestLabeler} built recently, by HTTP method and the input they were
 * built from (a tenant header's value, a route template), so that the next request with the
 * same method and input reuses the same set: no policy checks, no allocation, and label
 * timelines point at long-lived sets instead of keeping one set per request alive.
 * <p>
 * The labeler keeps only inputs the label policy admitted, so what callers send before
 * authentication cannot grow it past the policy's limit; a set is handed out only for a
 * while after the policy last saw its input, so the policy keeps counting the values in use
 * and can retire the others. Each method's sets are dropped all at once when there are more
 * than the bound, which only costs the next requests a rebuild.
 */
final class RecentLabelSets {

	private final ConcurrentHashMap<String, Entry>[] byMethod;

	private final long reuseNanos;

	private final int maxPerMethod;

	/**
	 * Creates an empty cache.
	 * @param methods how many method indexes there are
	 * @param reuseNanos how long after the policy saw an input its set may be reused
	 * @param maxPerMethod most inputs kept per method
	 */
	@SuppressWarnings("unchecked")
	RecentLabelSets(int methods, long reuseNanos, int maxPerMethod) {
		this.byMethod = new ConcurrentHashMap[methods];
		for (int i = 0; i < methods; i++) {
			this.byMethod[i] = new ConcurrentHashMap<>();
		}
		this.reuseNanos = reuseNanos;
		this.maxPerMethod = maxPerMethod;
	}

	/** Returns the set built for this method and input, unless it is missing or due a check. */
	@Nullable LabelSet get(int method, String input, long nowNanos) {
		Entry entry = this.byMethod[method].get(input);
		return (entry != null && nowNanos - entry.checkedAtNanos < this.reuseNanos) ? entry.labels : null;
	}

	/**
	 * Keeps the set the policy just built for this method and input, and returns the set to
	 * hand out: the one kept before when it is equal, so scopes and timelines keep pointing
	 * at one instance.
	 */
	LabelSet put(int method, String input, LabelSet labels, long nowNanos) {
		ConcurrentHashMap<String, Entry> sets = this.byMethod[method];
		Entry previous = sets.get(input);
		LabelSet kept = (previous != null && previous.labels.equals(labels)) ? previous.labels : labels;
		if (previous == null && sets.size() >= this.maxPerMethod) {
			sets.clear();
		}
		sets.put(input, new Entry(kept, nowNanos));
		return kept;
	}

	/** Returns how many sets are kept, over all methods. */
	int size() {
		int size = 0;
		for (ConcurrentHashMap<String, Entry> sets : this.byMethod) {
			size += sets.size();
		}
		return size;
	}

	private record Entry(LabelSet labels, long checkedAtNanos) {
	}

}
