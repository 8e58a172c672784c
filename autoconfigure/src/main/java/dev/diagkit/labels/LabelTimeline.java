package dev.diagkit.labels;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * The recent label changes of one thread, kept while a profiler needs them: a ring of
 * (when, labels after) written by the thread alone, with no allocation per change (the labels
 * are references to sets that already exist). A change is stamped with
 * {@link System#nanoTime()}, except leaving a lexical scope ({@code run}, {@code call}, a
 * wrapped task): that entry holds the lexical depth left instead of a time, and a reader tells
 * on which side of it a sample lies by the number of lexical scope frames on the sample's stack
 * ({@link LabelTimelines#isLexicalScopeFrame}). The labels before a change are the labels of
 * the entry before it; the first change after recording (re)starts is stamped and preceded by
 * a marker entry holding the labels it replaced, so that this holds across the pause and
 * every unstamped entry follows a stamped one.
 * <p>
 * Two stores per change, one of them a reference, and one clock read per scope keep a scope
 * near its budget while a profiler runs; docs/benchmarks.md has the figures.
 * <p>
 * The ring starts small ({@value #INITIAL_CAPACITY} entries, about 800 bytes, enough for a
 * virtual thread that serves one request) and doubles the first times it fills, up to
 * {@value #CAPACITY} entries for busy threads; after that it overwrites its oldest entries.
 * Readers copy it without locking and drop the entries the writer may have overwritten while
 * they copied.
 */
final class LabelTimeline {

	static final int CAPACITY = 4096;

	static final int INITIAL_CAPACITY = 64;

	/**
	 * The high half of an unstamped entry's word; the low half is the lexical depth after the
	 * change. No {@link System#nanoTime()} reading of a running JVM comes near it (HotSpot's
	 * clock counts from boot or a similar origin, far from {@code Long.MIN_VALUE}).
	 */
	private static final long UNSTAMPED = Long.MIN_VALUE;

	/** The word of the entry that starts a recording: unstamped, with no depth. */
	private static final long RESTARTED = UNSTAMPED | 0xFFFFFFFFL;

	private static final VarHandle WRITTEN;

	private static final VarHandle RING;

	private static final VarHandle RECORDING;

	static {
		try {
			MethodHandles.Lookup lookup = MethodHandles.lookup();
			WRITTEN = lookup.findVarHandle(LabelTimeline.class, "written", long.class);
			RING = lookup.findVarHandle(LabelTimeline.class, "ring", Ring.class);
			RECORDING = lookup.findVarHandle(LabelTimeline.class, "recording", int.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	/** Replaced (grown) by the writer only; published before the count that needs it. */
	private Ring ring = new Ring(INITIAL_CAPACITY);

	/** How many changes were ever written; released after each entry is complete. */
	private long written;

	/**
	 * The recording the newest entries belong to, 0 before any; written by the writer only,
	 * released after {@link #recordingStart}.
	 */
	private int recording;

	/** The count where that recording's entries begin: none was written yet while equal. */
	private long recordingStart;

	/**
	 * Writes a change that happened at {@code atNanos}.
	 * @param atNanos when, on the {@link System#nanoTime()} clock
	 * @param previous the labels until then
	 * @param next the labels from then on
	 */
	void record(long atNanos, LabelSet previous, LabelSet next) {
		if (this.written == this.recordingStart) {
			write(RESTARTED, previous);
		}
		write(atNanos, next);
	}

	/**
	 * Writes the end of a lexical scope without reading the clock, unless it is the first
	 * change since recording (re)started.
	 * @param previous the labels inside the scope
	 * @param next the labels put back
	 * @param depth how many lexical scopes are still open on the thread
	 */
	void recordLeaving(LabelSet previous, LabelSet next, int depth) {
		if (this.written == this.recordingStart) {
			record(System.nanoTime(), previous, next);
			return;
		}
		write(UNSTAMPED | depth, next);
	}

	/**
	 * Makes the next entries belong to a recording. When it is a new one, the changes since
	 * the newest entry are unknown, and readers of the new recording ignore the entries before.
	 * @param recording the recording under way
	 */
	void recordIn(int recording) {
		if (recording != this.recording) {
			this.recordingStart = this.written;
			RECORDING.setRelease(this, recording);
		}
	}

	/** Returns the recording the newest entries belong to, 0 when there are none. */
	int recording() {
		return (int) RECORDING.getAcquire(this);
	}

	private void write(long word, LabelSet next) {
		long n = this.written;
		Ring r = this.ring;
		if (n == r.capacity() && r.capacity() < CAPACITY) {
			// first lap of a ring that may still grow: entries 0..n-1 keep their positions
			r = r.grown();
			RING.setRelease(this, r);
		}
		int i = (int) (n & (r.capacity() - 1));
		r.words[i] = word;
		r.labels[i] = next;
		WRITTEN.setRelease(this, n + 1);
	}

	private static boolean unstamped(long word) {
		return (word & 0xFFFFFFFF00000000L) == UNSTAMPED;
	}

	/**
	 * Copies the entries of the current recording written after {@code fromCount}, oldest
	 * first, and returns the count they reach; entries overwritten before or during the copy
	 * are left out. A copy begins with a stamped entry: unstamped entries just before
	 * {@code fromCount} are copied again with the stamped one they follow (their instants lie
	 * anywhere up to the next stamped entry, which this copy may hold), as is the stamped
	 * entry that unstamped ones after {@code fromCount} follow.
	 */
	Copy copySince(long fromCount) {
		long end = (long) WRITTEN.getAcquire(this);
		Ring r = (Ring) RING.getAcquire(this);
		int mask = r.capacity() - 1;
		long oldest = Math.max(this.recordingStart, end - r.capacity());
		long begin = Math.max(fromCount, this.recordingStart);
		long start = Math.max(begin, oldest);
		long first = start;
		while (first > oldest && unstamped(r.words[(int) ((first - 1) & mask)])) {
			first--;
		}
		// begin at the stamped entry that unstamped ones copied follow
		if (first > oldest && (first < start || (first < end && unstamped(r.words[(int) (first & mask)])))) {
			first--;
		}
		// and the entry before, whose labels are those until the first
		long from = (first > oldest) ? first - 1 : first;
		int n = (int) (end - from);
		long[] words = new long[n];
		LabelSet[] sets = new LabelSet[n];
		for (int k = 0; k < n; k++) {
			int i = (int) ((from + k) & mask);
			words[k] = r.words[i];
			sets[k] = r.labels[i];
		}
		// the writer may have lapped the ring while we copied: drop what it overwrote. A ring
		// that grew meanwhile was never lapped (rings grow on their first lap), and the writer
		// went on in the new one.
		long after = (long) WRITTEN.getAcquire(this);
		boolean grew = RING.getAcquire(this) != r;
		int lost = grew ? 0 : (int) Math.max(0, Math.min(n, after - r.capacity() - from));
		return decode(words, sets, from, lost, first, start, end, start > begin || from + lost > start);
	}

	/**
	 * Turns copied words into times and marks: an unstamped entry gets the time of the stamped
	 * one before it; unstamped entries with no stamped one before them in the copy (a
	 * recording's first marker, or the ring lapped) are folded into the labels the copy starts
	 * from.
	 */
	private static Copy decode(long[] words, LabelSet[] sets, long from, int lost, long first, long start, long end,
			boolean gap) {
		int k = lost;
		LabelSet initial = null;
		if (k < words.length && from + k < first) {
			initial = sets[k++];
		}
		while (k < words.length && unstamped(words[k])) {
			initial = sets[k++];
		}
		long[] nanos = new long[words.length - k];
		int[] marks = new int[nanos.length];
		LabelSet[] labels = new LabelSet[nanos.length];
		int n = 0;
		int carried = 0;
		long time = 0;
		for (int j = k; j < words.length; j++) {
			long word = words[j];
			if (unstamped(word)) {
				nanos[n] = time;
				marks[n] = ~(int) word;
			}
			else {
				time = word;
				nanos[n] = word;
			}
			labels[n] = sets[j];
			if (from + j < start) {
				carried++;
			}
			n++;
		}
		if (initial == null && n > 0) {
			// the entry before the first was overwritten: its labels are unknown, the first's
			// are the best guess
			initial = labels[0];
		}
		return new Copy(Arrays.copyOf(nanos, n), Arrays.copyOf(labels, n), Arrays.copyOf(marks, n), initial, carried,
				end, gap);
	}

	/** Returns how many entries the ring holds now. */
	int capacity() {
		return ((Ring) RING.getAcquire(this)).capacity();
	}

	/**
	 * Entries copied from a timeline.
	 *
	 * @param nanos when each change happened ({@link System#nanoTime()}), ascending; an
	 * unstamped change has the time of the stamped one before it
	 * @param labels the labels from that time on
	 * @param marks for each change, 0 when it was stamped, else the lexical depth after it,
	 * bitwise complemented (negative)
	 * @param initial the labels before the first change, {@code null} when nothing was copied
	 * @param carried how many leading entries an earlier copy held already
	 * @param count the written count the copy reaches
	 * @param gap whether changes were lost since the previous copy
	 */
	record Copy(long[] nanos, LabelSet[] labels, int[] marks, @Nullable LabelSet initial, int carried, long count,
			boolean gap) {
	}

	/** The arrays of one size of ring. */
	private record Ring(long[] words, LabelSet[] labels) {

		Ring(int capacity) {
			this(new long[capacity], new LabelSet[capacity]);
		}

		int capacity() {
			return this.words.length;
		}

		Ring grown() {
			int capacity = capacity() * 2;
			return new Ring(Arrays.copyOf(this.words, capacity), Arrays.copyOf(this.labels, capacity));
		}

	}

}
