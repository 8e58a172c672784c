package dev.diagkit.labels;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;


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
 * <p>
 * Entering a scope is stamped with {@link System#nanoTime()}; leaving a lexical scope
 * ({@link ProfilingLabels#run run}, {@link ProfilingLabels#call call}, a wrapped task) is not,
 * which saves a clock read per scope. Such a scope keeps a frame on the stack for as long as it
 * is open ({@link #isLexicalScopeFrame}), so a sample's stack says how many were open when it
 * was taken, and {@link History#labelsAt(long, int)} uses that to place the sample before or
 * after each unstamped change.
 */
public final class LabelTimelines implements AutoCloseable {

	private static final String SCOPE_CLASS = ProfilingLabels.class.getName();

	private static int open;

	private static final List<LabelTimelines> OPEN = new CopyOnWriteArrayList<>();

	/** When this instance's latest read began: what an ended thread must have been seen before. */
	private volatile long lastReadStart = System.nanoTime();

	private final Map<Long, Long> readCounts = new HashMap<>();

	private final Map<Long, LabelSet> lastLabels = new HashMap<>();

	private final boolean stampLeaving;

	private boolean closed;

	private LabelTimelines(boolean stampLeaving) {
		this.stampLeaving = stampLeaving;
	}

	/**
	 * Starts recording label changes (if no other instance already does).
	 * @return the reader; close it when done
	 */
	public static LabelTimelines start() {
		return start(false);
	}

	/**
	 * Starts recording label changes (if no other instance already does), with the end of
	 * every lexical scope stamped while {@code stampLeaving} instances are open: each change
	 * then has its exact time, at the cost of a clock read per scope left.
	 * @param stampLeaving whether every change must have its time
	 * @return the reader; close it when done
	 */
	public static LabelTimelines start(boolean stampLeaving) {
		synchronized (LabelTimelines.class) {
			if (open++ == 0) {
				ThreadLabelState.recordTimelines(true);
			}
			LabelTimelines timelines = new LabelTimelines(stampLeaving);
			if (stampLeaving) {
				ThreadLabelState.stampLeaving(true);
			}
			OPEN.add(timelines);
			return timelines;
		}
	}

	/**
	 * Returns when the open instance that read longest ago began that read, or {@code now}
	 * when none is open.
	 */
	static long oldestReadStart(long now) {
		long oldest = now;
		for (LabelTimelines timelines : OPEN) {
			long start = timelines.lastReadStart;
			if (start - oldest < 0) {
				oldest = start;
			}
		}
		return oldest;
	}

	/**
	 * Returns how many ended threads' label changes were dropped before every open reader
	 * had read them, because more than {@value ThreadLabelState#MAX_ENDED_KEPT} ended
	 * threads waited: samples of those threads have no labels.
	 * @return the count since the JVM started
	 */
	public static long endedThreadsDropped() {
		return ThreadLabelState.endedDropped();
	}

	/**
	 * Returns, for every live thread that carries or carried labels, its label changes since
	 * the previous read of this instance.
	 * @return the histories, by thread id
	 */
	public synchronized Map<Long, History> read() {
		long started = System.nanoTime();
		Map<Long, History> histories = new HashMap<>();
		int recording = ThreadLabelState.timelineRecording();
		for (Iterator<ThreadLabelState> it = ThreadLabelState.all(); it.hasNext();) {
			ThreadLabelState state = it.next();
			// an ended thread is kept only for what it did while recording
			Thread thread = state.thread();
			if (thread == null && !state.ranLabelledIn(recording)) {
				continue;
			}
			long id = state.threadId();
			LabelSet now = state.labelsAcquire();
			LabelTimeline timeline = state.timeline();
			LabelSet before = this.lastLabels.get(id);
			// a timeline written in an earlier recording only says what the thread did then
			if (timeline == null || timeline.recording() != recording) {
				histories.put(id, new History(thread, new long[0], new LabelSet[0], new int[0], 0,
						(before != null) ? before : now, false));
				this.lastLabels.put(id, now);
				continue;
			}
			LabelTimeline.Copy copy = timeline.copySince(this.readCounts.getOrDefault(id, 0L));
			this.readCounts.put(id, copy.count());
			LabelSet initial = (copy.initial() != null) ? copy.initial() : ((before != null) ? before : now);
			histories.put(id, new History(thread, copy.nanos(), copy.labels(), copy.marks(), copy.carried(),
					initial, copy.gap() && before != null));
			this.lastLabels.put(id, (copy.labels().length > 0) ? copy.labels()[copy.labels().length - 1] : initial);
		}
		this.readCounts.keySet().retainAll(histories.keySet());
		this.lastLabels.keySet().retainAll(histories.keySet());
		this.lastReadStart = started;
		return histories;
	}

	/**
	 * Returns whether a stack frame is one that a lexical label scope keeps on the stack while
	 * it is open: counting them on a sample's stack gives the lexical depth that
	 * {@link History#labelsAt(long, int)} needs.
	 * @param className the frame's class, as {@link Class#getName()} gives it
	 * @param methodName the frame's method
	 * @return whether the frame is a lexical scope's
	 */
	public static boolean isLexicalScopeFrame(String className, String methodName) {
		return switch (methodName) {
			case "run", "call", "runExactly", "callExactly" -> className.equals(SCOPE_CLASS);
			default -> false;
		};
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
			OPEN.remove(this);
			if (this.stampLeaving) {
				ThreadLabelState.stampLeaving(false);
			}
			if (--open == 0) {
				ThreadLabelState.recordTimelines(false);
			}
		}
	}

	/**
	 * One thread's label changes over a read.
	 */
	public static final class History {

		private final @Nullable Thread thread;

		private final long[] nanos;

		private final LabelSet[] labels;

		private final int[] marks;

		private final int carried;

		private final LabelSet initial;

		private final boolean gap;

		History(@Nullable Thread thread, long[] nanos, LabelSet[] labels, int[] marks, int carried, LabelSet initial,
				boolean gap) {
			this.thread = thread;
			this.nanos = nanos;
			this.labels = labels;
			this.marks = marks;
			this.carried = carried;
			this.initial = initial;
			this.gap = gap;
		}

		/**
		 * Returns the labels the thread carried at an instant of the read's period.
		 * @param nanoTime the instant, on the {@link System#nanoTime()} clock
		 * @param lexicalDepth how many lexical scope frames ({@link #isLexicalScopeFrame}) the
		 * thread's stack held at that instant, or {@link Integer#MAX_VALUE} when the stack was
		 * cut short: the instant is then placed before every unstamped change that follows the
		 * newest stamped one
		 * @return the labels
		 */
		public LabelSet labelsAt(long nanoTime, int lexicalDepth) {
			int i = Arrays.binarySearch(this.nanos, nanoTime);
			int last = (i >= 0) ? lastEqual(i) : -i - 2;
			// unstamped changes (scopes left) happened after the stamped one before them, at
			// instants unknown: the sample came after the newest of them that left at least
			// as many scopes open as its stack shows
			for (int k = last; k >= 0; k--) {
				int mark = this.marks[k];
				if (mark >= 0 || ~mark >= lexicalDepth) {
					return this.labels[k];
				}
			}
			return this.initial;
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
		 * Returns how many changes the read saw (not counting those an earlier read saw and
		 * this one holds again to place samples around them).
		 * @return the count
		 */
		public int changes() {
			return this.nanos.length - this.carried;
		}

		/**
		 * Returns the thread, or {@code null} once it has ended.
		 * @return the thread
		 */
		public @Nullable Thread thread() {
			return this.thread;
		}

		/**
		 * Calls {@code action} for each change the read saw, oldest first, leaving out those an
		 * earlier read saw already.
		 * @param action told the instant ({@link System#nanoTime()}), the labels from then on
		 * and whether the instant is exact (a lexical scope left while no reader wanted its
		 * time has that of the stamped change before it)
		 */
		public void forEachChange(ChangeAction action) {
			for (int k = this.carried; k < this.nanos.length; k++) {
				action.changed(this.nanos[k], this.labels[k], this.marks[k] >= 0);
			}
		}

		/**
		 * Returns the labels the thread carried after the changes an earlier read saw, before
		 * the first of {@link #forEachChange}'s.
		 * @return the labels
		 */
		public LabelSet beforeNewChanges() {
			return (this.carried > 0) ? this.labels[this.carried - 1] : this.initial;
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

	/** What {@link History#forEachChange} tells about each change. */
	@FunctionalInterface
	public interface ChangeAction {

		/**
		 * Tells of one change.
		 * @param nanoTime when it happened, on the {@link System#nanoTime()} clock
		 * @param labels the labels from then on
		 * @param exact whether the instant is exact
		 */
		void changed(long nanoTime, LabelSet labels, boolean exact);

	}

}
