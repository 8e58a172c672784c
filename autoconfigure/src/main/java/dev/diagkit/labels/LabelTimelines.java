package dev.diagkit.labels;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;


/**
 * Records when every thread's labels change, so that a profiler can tell which labels a
 * thread carried at the instant of a sample. While at least one instance is open, each label
 * change also writes (time, labels before, labels after) into a fixed ring of its thread:
 * no allocation per change, and memory that does not grow with the number of scopes. Each
 * instance reads the changes since its previous read with {@link #read()}.
 * <p>
 * A thread keeps its last {@value LabelTimeline#CAPACITY} changes; a profiler that reads less
 * often than that many changes happen on a busy thread sees a gap, reported by
 * {@link History#gap()}.
 */
public final class LabelTimelines implements AutoCloseable {

	private static int open;

	private final Map<Long, Long> readCounts = new HashMap<>();

	private final Map<Long, LabelSet> lastLabels = new HashMap<>();

	private boolean closed;

	private LabelTimelines() {
	}

	/**
	 * Starts recording label changes (if no other instance already does).
	 * @return the reader; close it when done
	 */
	public static LabelTimelines start() {
		synchronized (LabelTimelines.class) {
			if (open++ == 0) {
				ThreadLabelState.recordTimelines(true);
			}
		}
		return new LabelTimelines();
	}

	/**
	 * Returns, for every live thread that carries or carried labels, its label changes since
	 * the previous read of this instance.
	 * @return the histories, by thread id
	 */
	public synchronized Map<Long, History> read() {
		Map<Long, History> histories = new HashMap<>();
		for (Iterator<ThreadLabelState> it = ThreadLabelState.all(); it.hasNext();) {
			ThreadLabelState state = it.next();
			if (state.thread() == null) {
				continue;
			}
			long id = state.threadId();
			LabelSet now = state.labelsAcquire();
			LabelTimeline timeline = state.timeline();
			LabelSet before = this.lastLabels.get(id);
			if (timeline == null) {
				histories.put(id, new History(new long[0], new LabelSet[0], (before != null) ? before : now, false));
				this.lastLabels.put(id, now);
				continue;
			}
			LabelTimeline.Copy copy = timeline.copySince(this.readCounts.getOrDefault(id, 0L));
			this.readCounts.put(id, copy.count());
			LabelSet initial = (copy.nanos().length > 0) ? copy.before()[0] : ((before != null) ? before : now);
			histories.put(id, new History(copy.nanos(), copy.labels(), initial, copy.gap() && before != null));
			this.lastLabels.put(id, (copy.labels().length > 0) ? copy.labels()[copy.labels().length - 1] : initial);
		}
		this.readCounts.keySet().retainAll(histories.keySet());
		this.lastLabels.keySet().retainAll(histories.keySet());
		return histories;
	}

	/**
	 * Stops recording when no other instance is open.
	 */
	@Override
	public void close() {
		synchronized (LabelTimelines.class) {
			if (this.closed) {
				return;
			}
			this.closed = true;
			if (--open == 0) {
				ThreadLabelState.recordTimelines(false);
			}
		}
	}

	/**
	 * One thread's label changes over a read.
	 */
	public static final class History {

		private final long[] nanos;

		private final LabelSet[] labels;

		private final LabelSet initial;

		private final boolean gap;

		History(long[] nanos, LabelSet[] labels, LabelSet initial, boolean gap) {
			this.nanos = nanos;
			this.labels = labels;
			this.initial = initial;
			this.gap = gap;
		}

		/**
		 * Returns the labels the thread carried at an instant of the read's period.
		 * @param nanoTime the instant, on the {@link System#nanoTime()} clock
		 * @return the labels
		 */
		public LabelSet labelsAt(long nanoTime) {
			int i = Arrays.binarySearch(this.nanos, nanoTime);
			int last = (i >= 0) ? lastEqual(i) : -i - 2;
			return (last >= 0) ? this.labels[last] : this.initial;
		}

		private int lastEqual(int index) {
			int i = index;
			while (i + 1 < this.nanos.length && this.nanos[i + 1] == this.nanos[index]) {
				i++;
			}
			return i;
		}

		/**
		 * Returns when the last change of the read happened.
		 * @return the instant on the {@link System#nanoTime()} clock, or {@link Long#MIN_VALUE}
		 * when the read saw no change
		 */
		public long lastChange() {
			return (this.nanos.length > 0) ? this.nanos[this.nanos.length - 1] : Long.MIN_VALUE;
		}

		/**
		 * Returns how many changes the read saw.
		 * @return the count
		 */
		public int changes() {
			return this.nanos.length;
		}

		/**
		 * Returns whether changes were lost because the thread made more than a ring holds
		 * between two reads: samples in the lost stretch may get the wrong labels.
		 * @return whether there is a gap
		 */
		public boolean gap() {
			return this.gap;
		}


	}

}
