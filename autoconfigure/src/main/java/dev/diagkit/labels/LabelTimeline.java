package dev.diagkit.labels;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * The recent label changes of one thread, kept while a profiler needs them: a ring of
 * (time, labels) written by the thread alone, with no allocation per change (the labels are
 * references to sets that already exist). Readers copy it without locking and drop the
 * entries the writer may have overwritten while they copied.
 */
final class LabelTimeline {

	static final int CAPACITY = 4096;

	private static final int MASK = CAPACITY - 1;

	private static final VarHandle WRITTEN;

	static {
		try {
			WRITTEN = MethodHandles.lookup().findVarHandle(LabelTimeline.class, "written", long.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final long[] nanos = new long[CAPACITY];

	private final LabelSet[] labels = new LabelSet[CAPACITY];

	private final LabelSet[] before = new LabelSet[CAPACITY];

	/** How many changes were ever written; released after each entry is complete. */
	private long written;

	void record(long atNanos, LabelSet previous, LabelSet next) {
		long n = this.written;
		int i = (int) (n & MASK);
		this.nanos[i] = atNanos;
		this.before[i] = previous;
		this.labels[i] = next;
		WRITTEN.setRelease(this, n + 1);
	}

	/**
	 * Copies the entries written after {@code fromCount}, oldest first, and returns the count
	 * they reach; entries overwritten before or during the copy are left out.
	 */
	Copy copySince(long fromCount) {
		long end = (long) WRITTEN.getAcquire(this);
		long start = Math.max(fromCount, end - CAPACITY);
		int n = (int) (end - start);
		long[] times = new long[n];
		LabelSet[] sets = new LabelSet[n];
		LabelSet[] previous = new LabelSet[n];
		for (int k = 0; k < n; k++) {
			int i = (int) ((start + k) & MASK);
			times[k] = this.nanos[i];
			sets[k] = this.labels[i];
			previous[k] = this.before[i];
		}
		// the writer may have lapped the ring while we copied: drop what it overwrote
		long after = (long) WRITTEN.getAcquire(this);
		int lost = (int) Math.max(0, Math.min(n, after - CAPACITY - start));
		if (lost > 0) {
			times = Arrays.copyOfRange(times, lost, n);
			sets = Arrays.copyOfRange(sets, lost, n);
			previous = Arrays.copyOfRange(previous, lost, n);
		}
		return new Copy(times, previous, sets, end, start > fromCount || lost > 0);
	}

	/**
	 * Entries copied from a timeline.
	 *
	 * @param nanos when each change happened ({@link System#nanoTime()}), ascending
	 * @param before the labels until that time
	 * @param labels the labels from that time on
	 * @param count the written count the copy reaches
	 * @param gap whether changes were lost since the previous copy
	 */
	record Copy(long[] nanos, LabelSet[] before, LabelSet[] labels, long count, boolean gap) {
	}

}
