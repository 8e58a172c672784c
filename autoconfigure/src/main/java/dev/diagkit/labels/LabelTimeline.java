package dev.diagkit.labels;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * The recent label changes of one thread, kept while a profiler needs them: a ring of
 * (time, labels before, labels after) written by the thread alone, with no allocation per
 * change (the labels are references to sets that already exist). The ring starts small
 * ({@value #INITIAL_CAPACITY} entries, about a kilobyte, enough for a virtual thread that
 * serves one request) and doubles the first times it fills, up to {@value #CAPACITY}
 * entries for busy threads; after that it overwrites its oldest entries. Readers copy it
 * without locking and drop the entries the writer may have overwritten while they copied.
 */
final class LabelTimeline {

	static final int CAPACITY = 4096;

	static final int INITIAL_CAPACITY = 64;

	private static final VarHandle WRITTEN;

	private static final VarHandle RING;

	static {
		try {
			MethodHandles.Lookup lookup = MethodHandles.lookup();
			WRITTEN = lookup.findVarHandle(LabelTimeline.class, "written", long.class);
			RING = lookup.findVarHandle(LabelTimeline.class, "ring", Ring.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	/** Replaced (grown) by the writer only; published before the count that needs it. */
	private Ring ring = new Ring(INITIAL_CAPACITY);

	/** How many changes were ever written; released after each entry is complete. */
	private long written;

	void record(long atNanos, LabelSet previous, LabelSet next) {
		long n = this.written;
		Ring r = this.ring;
		if (n == r.capacity() && r.capacity() < CAPACITY) {
			// first lap of a ring that may still grow: entries 0..n-1 keep their positions
			r = r.grown();
			RING.setRelease(this, r);
		}
		int i = (int) (n & (r.capacity() - 1));
		r.nanos[i] = atNanos;
		r.before[i] = previous;
		r.labels[i] = next;
		WRITTEN.setRelease(this, n + 1);
	}

	/**
	 * Copies the entries written after {@code fromCount}, oldest first, and returns the count
	 * they reach; entries overwritten before or during the copy are left out.
	 */
	Copy copySince(long fromCount) {
		long end = (long) WRITTEN.getAcquire(this);
		Ring r = (Ring) RING.getAcquire(this);
		int capacity = r.capacity();
		long start = Math.max(fromCount, end - capacity);
		int n = (int) Math.max(0, end - start);
		long[] times = new long[n];
		LabelSet[] sets = new LabelSet[n];
		LabelSet[] previous = new LabelSet[n];
		for (int k = 0; k < n; k++) {
			int i = (int) ((start + k) & (capacity - 1));
			times[k] = r.nanos[i];
			sets[k] = r.labels[i];
			previous[k] = r.before[i];
		}
		// the writer may have lapped the ring while we copied: drop what it overwrote (a ring
		// that grew meanwhile overwrote nothing we copied)
		long after = (long) WRITTEN.getAcquire(this);
		int lost = (int) Math.max(0, Math.min(n, after - capacity - start));
		if (lost > 0) {
			times = Arrays.copyOfRange(times, lost, n);
			sets = Arrays.copyOfRange(sets, lost, n);
			previous = Arrays.copyOfRange(previous, lost, n);
		}
		return new Copy(times, previous, sets, end, start > fromCount || lost > 0);
	}

	/** Returns how many entries the ring holds now. */
	int capacity() {
		return ((Ring) RING.getAcquire(this)).capacity();
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

	/** The arrays of one size of ring. */
	private static final class Ring {

		private final long[] nanos;

		private final LabelSet[] before;

		private final LabelSet[] labels;

		Ring(int capacity) {
			this.nanos = new long[capacity];
			this.before = new LabelSet[capacity];
			this.labels = new LabelSet[capacity];
		}

		private Ring(long[] nanos, LabelSet[] before, LabelSet[] labels) {
			this.nanos = nanos;
			this.before = before;
			this.labels = labels;
		}

		int capacity() {
			return this.nanos.length;
		}

		Ring grown() {
			int capacity = capacity() * 2;
			return new Ring(Arrays.copyOf(this.nanos, capacity), Arrays.copyOf(this.before, capacity),
					Arrays.copyOf(this.labels, capacity));
		}

	}

}
