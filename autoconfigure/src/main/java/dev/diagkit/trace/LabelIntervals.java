package dev.diagkit.trace;

import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

import dev.diagkit.labels.LabelSet;
import dev.diagkit.labels.LabelTimelines;

import org.jspecify.annotations.Nullable;

/**
 * Writes every thread's label intervals into the recordings running now, as
 * {@code diagkit.LabelInterval} events, from the label timelines: each read writes the
 * intervals that ended since the one before, and {@link #close()} those still open. While
 * open, the end of every lexical label scope is stamped, so each interval has its exact
 * bounds. One thread reads and closes.
 */
final class LabelIntervals implements AutoCloseable {

	private final LabelTimelines timelines = LabelTimelines.start(true);

	private final long started = System.nanoTime();

	private final long epochNanosAtStart;

	private final Map<Long, Open> open = new HashMap<>();

	private long lastRead = this.started;

	private boolean closed;

	LabelIntervals() {
		Instant now = Instant.now();
		this.epochNanosAtStart = now.getEpochSecond() * 1_000_000_000L + now.getNano();
	}

	/**
	 * Writes the intervals that ended since the previous read.
	 */
	void read() {
		Map<Long, LabelTimelines.History> histories = this.timelines.read();
		for (Map.Entry<Long, LabelTimelines.History> entry : histories.entrySet()) {
			long threadId = entry.getKey();
			LabelTimelines.History history = entry.getValue();
			Open current = this.open.get(threadId);
			if (current == null) {
				current = new Open(this.started, history.beforeNewChanges(), history.thread());
				this.open.put(threadId, current);
			}
			Open thread = current;
			thread.thread = history.thread();
			if (history.gap()) {
				// the thread changed labels faster than the reads kept up: what it carried between
				// the last read and the changes kept is unknown, and is left without labels
				write(threadId, thread, Math.max(this.lastRead, thread.since));
				thread.since = Math.max(this.lastRead, thread.since);
				thread.labels = LabelSet.empty();
			}
			history.forEachChange((nanoTime, labels, exact) -> {
				if (!labels.equals(thread.labels)) {
					write(threadId, thread, Math.max(nanoTime, thread.since));
					thread.since = Math.max(nanoTime, thread.since);
					thread.labels = labels;
				}
			});
		}
		long now = System.nanoTime();
		this.lastRead = now;
		for (Iterator<Map.Entry<Long, Open>> it = this.open.entrySet().iterator(); it.hasNext();) {
			Map.Entry<Long, Open> entry = it.next();
			if (!histories.containsKey(entry.getKey())) {
				// the thread ended and was forgotten: its last labels lasted until now at most
				write(entry.getKey(), entry.getValue(), now);
				it.remove();
			}
		}
	}

	private void write(long threadId, Open interval, long endNanos) {
		write(threadId, interval, endNanos, false);
	}

	private void write(long threadId, Open interval, long endNanos, boolean ongoing) {
		if (interval.labels.isEmpty()) {
			return;
		}
		LabelIntervalEvent event = new LabelIntervalEvent();
		if (!event.isEnabled()) {
			return;
		}
		// the event's own time, taken by begin() right after this clock read, anchors the interval
		long now = System.nanoTime();
		event.begin();
		event.startedBefore = now - interval.since;
		event.thread = interval.thread;
		event.javaThreadId = threadId;
		event.labels = LabelText.format(interval.labels);
		event.start = (this.epochNanosAtStart + (interval.since - this.started)) / 1_000_000;
		event.length = endNanos - interval.since;
		event.ongoing = ongoing;
		event.commit();
	}

	/**
	 * Writes the intervals still open, ending now, and stops stamping label changes.
	 */
	@Override
	public void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		try {
			read();
			long now = System.nanoTime();
			this.open.forEach((threadId, interval) -> write(threadId, interval, now, true));
			this.open.clear();
		}
		finally {
			this.timelines.close();
		}
	}

	/** The interval a thread is in. */
	private static final class Open {

		long since;

		LabelSet labels;

		@Nullable Thread thread;

		Open(long since, LabelSet labels, @Nullable Thread thread) {
			this.since = since;
			this.labels = labels;
			this.thread = thread;
		}

	}

}
