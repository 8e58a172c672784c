package dev.diagkit.labels;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.util.Arrays;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

/**
 * The labels of one thread, written only by that thread and read by the registry. A thread
 * gets its state on first use; a thread started by a labelled thread starts with a copy of
 * its creator's labels (Go's {@code go} statement), marked as inherited.
 */
final class ThreadLabelState {

	private static final VarHandle LABELS;

	static {
		try {
			LABELS = MethodHandles.lookup().findVarHandle(ThreadLabelState.class, "labels", LabelSet.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private static final InheritableThreadLocal<@Nullable ThreadLabelState> STATE = new InheritableThreadLocal<>() {

		@Override
		protected @Nullable ThreadLabelState childValue(@Nullable ThreadLabelState parent) {
			// Runs on the creating thread while the child Thread is constructed, so the child is
			// unknown here: the copy is bound to its thread on the child's first use.
			if (parent == null || parent.base.isEmpty()) {
				return null;
			}
			// the creator's own labels, not its span's: a pool thread created during a request
			// outlives the request, and its later work is no part of that span
			return new ThreadLabelState(parent.base, true);
		}

	};

	private static final ConcurrentLinkedQueue<ThreadLabelState> ALL = new ConcurrentLinkedQueue<>();

	private static final AtomicInteger BINDS = new AtomicInteger();

	private static final int PRUNE_EVERY = 256;

	/**
	 * The most ended threads kept for the timeline readers that have not read them yet: a
	 * request on a virtual thread of its own ends long before a profile is joined.
	 */
	static final int MAX_ENDED_KEPT = 20_000;

	private static final AtomicLong ENDED_DROPPED = new AtomicLong();

	private static volatile LabelListener[] listeners = new LabelListener[0];

	/**
	 * Which recording of label changes to timelines is under way (while a profiler needs
	 * them); 0 while none is.
	 */
	private static volatile int timelineRecording;

	private static int lastTimelineRecording;

	/**
	 * How many timeline readers want the end of every lexical scope stamped with the time
	 * (execution traces, which write each label interval with its end).
	 */
	private static volatile int stampedLeaving;

	private @Nullable WeakReference<Thread> thread;

	private long threadId;

	/**
	 * The labels in force: {@link #base} with {@link #span} laid over it. Written with
	 * release semantics so the registry sees a consistent state.
	 */
	private LabelSet labels;

	/** The thread's own labels, which scopes save and put back. */
	private LabelSet base;

	/**
	 * The labels of the tracing span current on the thread, empty while none is. Kept apart
	 * from {@link #base} because span scopes and label scopes open and close independently:
	 * neither ever puts back the other's labels.
	 */
	private LabelSet span = LabelSet.empty();

	/** When the labels were set, by {@link LabelClock}; 0 when unknown. */
	long sinceNanos;

	/** When the labels were set by {@code replace}; 0 when they were not. */
	long replacedAtNanos;

	/** Whether the labels were copied from the creating thread and not set here since. */
	boolean inherited;

	/**
	 * The id of the trace task the thread's work belongs to, 0 for none. It travels with the
	 * labels to the tasks the thread hands over, but a thread the task starts does not get it.
	 */
	long task;

	/** The newest scope opened on this thread and still open; each links to the one before. */
	@Nullable LabelScope newestScope;

	/**
	 * How many lexical scopes ({@code run}, {@code call}, wrapped tasks) are open on this
	 * thread: as many as their frames on its stack.
	 */
	private int lexicalDepth;

	/** The timeline recording under way when the thread was bound, 0 for none. */
	private int boundInRecording;

	/** When a prune first found the thread ended, by {@link System#nanoTime()}; 0 before. */
	private volatile long endedSeenNanos;

	/** Created the first time a change is recorded; kept for the thread's life. */
	private @Nullable LabelTimeline timeline;

	private ThreadLabelState(LabelSet labels, boolean inherited) {
		this.labels = labels;
		this.base = labels;
		this.inherited = inherited;
		this.sinceNanos = LabelClock.now();
	}

	static ThreadLabelState current() {
		ThreadLabelState state = STATE.get();
		if (state == null || state.thread == null) {
			state = bind(state);
		}
		return state;
	}

	private static ThreadLabelState bind(@Nullable ThreadLabelState inheritedState) {
		ThreadLabelState state = (inheritedState != null) ? inheritedState : new ThreadLabelState(LabelSet.empty(), false);
		Thread current = Thread.currentThread();
		state.thread = new WeakReference<>(current);
		state.threadId = current.getId();
		state.boundInRecording = timelineRecording;
		if (inheritedState == null) {
			STATE.set(state);
		}
		else {
			// listeners keep per-thread state (the MDC) that a new thread does not inherit
			notify(LabelSet.empty(), state.labels);
		}
		ALL.add(state);
		if (BINDS.incrementAndGet() % PRUNE_EVERY == 0) {
			prune();
		}
		return state;
	}

	/**
	 * Forgets ended threads, except those whose label changes were recorded for timeline
	 * readers still open that have not read them since they ended; of those, at most
	 * {@link #MAX_ENDED_KEPT}, the oldest dropped first and counted.
	 */
	private static void prune() {
		int recording = timelineRecording;
		long now = System.nanoTime();
		long oldestRead = LabelTimelines.oldestReadStart(now);
		int kept = 0;
		for (Iterator<ThreadLabelState> it = ALL.iterator(); it.hasNext();) {
			ThreadLabelState state = it.next();
			if (state.thread() != null) {
				continue;
			}
			long seen = state.endedSeenNanos;
			if (!state.ranLabelledIn(recording) || (seen != 0 && seen - oldestRead < 0)) {
				it.remove();
				continue;
			}
			if (seen == 0) {
				state.endedSeenNanos = (now != 0) ? now : 1;
			}
			if (++kept > MAX_ENDED_KEPT) {
				it.remove();
				ENDED_DROPPED.incrementAndGet();
			}
		}
	}

	/**
	 * Returns whether the thread changed labels during a timeline recording, or ran under
	 * labels it inherited while one was under way: what a reader needs of an ended thread.
	 */
	boolean ranLabelledIn(int recording) {
		if (recording == 0) {
			return false;
		}
		LabelTimeline timeline = this.timeline;
		return (timeline != null) ? timeline.recording() == recording
				: this.boundInRecording == recording && !labelsAcquire().isEmpty();
	}

	/** Returns how many ended threads' label changes were dropped before every reader read them. */
	static long endedDropped() {
		return ENDED_DROPPED.get();
	}

	/**
	 * Returns every bound state whose thread is alive, and the ended threads kept for
	 * timeline readers (their {@link #thread()} is {@code null}).
	 */
	static Iterator<ThreadLabelState> all() {
		prune();
		return ALL.iterator();
	}

	/** Returns the thread's own labels, without the span's: what scopes save and put back. */
	LabelSet labels() {
		return this.base;
	}

	/** Returns the labels in force, the span's included. */
	LabelSet effective() {
		return this.labels;
	}

	LabelSet labelsAcquire() {
		return (LabelSet) LABELS.getAcquire(this);
	}

	/** Returns the owner thread, or {@code null} once it has ended. */
	@Nullable Thread thread() {
		WeakReference<Thread> ref = this.thread;
		Thread t = (ref != null) ? ref.get() : null;
		return (t != null && t.isAlive()) ? t : null;
	}

	long threadId() {
		return this.threadId;
	}

	/** Sets new labels, noting the time; the caller saved what it needs to restore. */
	void enter(LabelSet next) {
		enter(next, LabelClock.now(), this.replacedAtNanos);
	}

	/**
	 * Sets new labels with their times; every field is written before the labels are
	 * released, so the registry never pairs new labels with old times.
	 */
	void enter(LabelSet next, long since, long replacedAt) {
		LabelSet previous = this.labels;
		LabelSet previousBase = this.base;
		LabelSet effective = overlaid(next);
		this.base = next;
		this.sinceNanos = since;
		this.replacedAtNanos = replacedAt;
		LABELS.setRelease(this, effective);
		notify(previousBase, next);
		int recording = timelineRecording;
		if (recording != 0) {
			timeline(recording).record(System.nanoTime(), previous, effective);
		}
	}

	private LabelSet overlaid(LabelSet own) {
		LabelSet s = this.span;
		return s.isEmpty() ? own : own.with(s);
	}

	/**
	 * Lays the labels of the span now current over the thread's own labels, replacing those
	 * of the span before; listeners are not told (the MDC has the tracer's own fields).
	 * @param next the span's labels, empty when no span is current
	 * @return the span labels replaced
	 */
	LabelSet swapSpan(LabelSet next) {
		LabelSet prior = this.span;
		if (prior == next) {
			return prior;
		}
		this.span = next;
		LabelSet previous = this.labels;
		LabelSet effective = overlaid(this.base);
		if (effective != previous) {
			LABELS.setRelease(this, effective);
			int recording = timelineRecording;
			if (recording != 0) {
				timeline(recording).record(System.nanoTime(), previous, effective);
			}
		}
		return prior;
	}

	/** Enters a lexical scope: {@link #restoreLexical} must follow on every path. */
	void enterLexical(LabelSet next, long since, long replacedAt) {
		this.lexicalDepth++;
		enter(next, since, replacedAt);
	}

	private LabelTimeline timeline(int recording) {
		LabelTimeline t = this.timeline;
		if (t == null) {
			t = new LabelTimeline();
			this.timeline = t;
		}
		t.recordIn(recording);
		return t;
	}

	/**
	 * Called as an owner (a task, a {@code run}, a scope) ends: every scope opened after
	 * {@code mark} and still open was left open past its owner. They are counted as leaks and
	 * forgotten; the owner then puts back the labels it found.
	 */
	void endOwner(@Nullable LabelScope mark, String owner, LabelSet ownerLabels) {
		LabelScope scope = this.newestScope;
		if (scope == mark) {
			return;
		}
		// a scope opened before the owner and closed inside it took the mark off the chain:
		// then which scopes are the owner's is not known, and none is called a leak
		LabelScope probe = scope;
		while (probe != null && probe != mark) {
			probe = probe.outer;
		}
		if (probe != mark) {
			return;
		}
		while (scope != null && scope != mark) {
			LeakedScopes.leaked(scope, owner, ownerLabels);
			scope.abandon();
			scope = scope.outer;
		}
		this.newestScope = mark;
	}

	@Nullable LabelTimeline timeline() {
		return this.timeline;
	}

	/** Returns which recording of label changes is under way, 0 while none is. */
	static int timelineRecording() {
		return timelineRecording;
	}

	static synchronized void recordTimelines(boolean on) {
		if (on) {
			lastTimelineRecording = (lastTimelineRecording == Integer.MAX_VALUE) ? 1 : lastTimelineRecording + 1;
		}
		timelineRecording = on ? lastTimelineRecording : 0;
	}

	static synchronized void stampLeaving(boolean on) {
		stampedLeaving += on ? 1 : -1;
	}

	/** Puts back labels saved before {@link #enter}. */
	void restore(LabelSet previous, long since, long replacedAt) {
		LabelSet current = put(previous, since, replacedAt);
		int recording = timelineRecording;
		if (recording != 0) {
			timeline(recording).record(System.nanoTime(), current, this.labels);
		}
	}

	/**
	 * Leaves a lexical scope, putting back labels saved before {@link #enterLexical}. No clock
	 * is read: the frames of the scopes still open on a sample's stack tell a profiler whether
	 * the sample came before or after this.
	 */
	void restoreLexical(LabelSet previous, long since, long replacedAt) {
		int depth = --this.lexicalDepth;
		LabelSet current = put(previous, since, replacedAt);
		int recording = timelineRecording;
		if (recording != 0) {
			if (stampedLeaving != 0) {
				timeline(recording).record(System.nanoTime(), current, this.labels);
			}
			else {
				timeline(recording).recordLeaving(current, this.labels, depth);
			}
		}
	}

	/** Sets the thread's own labels and returns the labels in force before. */
	private LabelSet put(LabelSet own, long since, long replacedAt) {
		LabelSet current = this.labels;
		LabelSet currentBase = this.base;
		this.base = own;
		this.sinceNanos = since;
		this.replacedAtNanos = replacedAt;
		LABELS.setRelease(this, overlaid(own));
		notify(currentBase, own);
		return current;
	}

	private static void notify(LabelSet from, LabelSet to) {
		LabelListener[] ls = listeners;
		if (ls.length != 0 && from != to) {
			for (LabelListener listener : ls) {
				listener.changed(from, to);
			}
		}
	}

	static synchronized void addListener(LabelListener listener) {
		LabelListener[] ls = Arrays.copyOf(listeners, listeners.length + 1);
		ls[ls.length - 1] = listener;
		listeners = ls;
	}

	static synchronized void removeListener(LabelListener listener) {
		listeners = Arrays.stream(listeners).filter((l) -> l != listener).toArray(LabelListener[]::new);
	}

}
