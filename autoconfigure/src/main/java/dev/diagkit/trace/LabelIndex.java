package dev.diagkit.trace;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.diagkit.labels.LabelSet;

/**
 * Which labels each thread carried when, read back from a trace's
 * {@code diagkit.LabelInterval} events: what slices any other event of the trace by tenant
 * or endpoint. Built once, then asked; not thread-safe while built.
 */
final class LabelIndex {

	private final Map<Long, List<Interval>> building = new HashMap<>();

	private final Map<Long, Intervals> byThread = new HashMap<>();

	private final Map<String, LabelSet> parsed = new HashMap<>();

	private int added;

	void add(long threadId, long startNanos, long length, boolean ongoing, String labels) {
		this.added++;
		LabelSet set = this.parsed.computeIfAbsent(labels, LabelText::parse);
		long end = ongoing ? Long.MAX_VALUE : startNanos + length;
		this.building.computeIfAbsent(threadId, (id) -> new ArrayList<>()).add(new Interval(startNanos, end, set));
	}

	/** Sorts what was added; call once, before asking. */
	LabelIndex build() {
		this.building.forEach((thread, intervals) -> {
			intervals.sort(Comparator.comparingLong(Interval::start));
			long[] starts = new long[intervals.size()];
			long[] ends = new long[intervals.size()];
			LabelSet[] labels = new LabelSet[intervals.size()];
			for (int i = 0; i < starts.length; i++) {
				Interval interval = intervals.get(i);
				starts[i] = interval.start();
				ends[i] = interval.end();
				labels[i] = interval.labels();
			}
			this.byThread.put(thread, new Intervals(starts, ends, labels));
		});
		this.building.clear();
		return this;
	}

	/**
	 * Returns the labels a thread carried at an instant.
	 * @param threadId the thread's Java id
	 * @param epochNanos the instant, in nanoseconds since the epoch
	 * @return the labels, empty when the thread carried none then
	 */
	LabelSet at(long threadId, long epochNanos) {
		Intervals intervals = this.byThread.get(threadId);
		if (intervals == null) {
			return LabelSet.empty();
		}
		int i = Arrays.binarySearch(intervals.starts, epochNanos);
		int k = (i >= 0) ? i : -i - 2;
		// intervals of one thread do not overlap; the one starting last before the instant holds it if any does
		if (k >= 0 && epochNanos < intervals.ends[k]) {
			return intervals.labels[k];
		}
		return LabelSet.empty();
	}

	/** How many intervals were added (before {@link #build()}). */
	int size() {
		return this.added;
	}

	private record Interval(long start, long end, LabelSet labels) {
	}

	private record Intervals(long[] starts, long[] ends, LabelSet[] labels) {
	}

}
