package dev.diagkit.labels;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;

/**
 * Runs work under profiling labels, the counterpart of Go's {@code pprof.Do} and
 * {@code pprof.SetGoroutineLabels}.
 * <ul>
 * <li>{@link #run}/{@link #call}: the thread runs with its labels merged with the given ones
 * (the given ones win per key) and gets its previous labels back on return or throw.</li>
 * <li>{@link #replace}: the thread's labels become exactly the given ones until the returned
 * scope is closed.</li>
 * <li>{@link #wrap}: work handed to another thread runs under the labels of the thread that
 * handed it over, never under whatever the worker had.</li>
 * </ul>
 * A thread started by a labelled thread starts with its creator's labels.
 */
public final class ProfilingLabels {

	private ProfilingLabels() {
	}

	/**
	 * Returns the current thread's labels, with those of the tracing span current on it
	 * ({@code span_id}, …) when diagkit's tracing integration is on.
	 * @return the labels, empty when none are set
	 */
	public static LabelSet current() {
		return ThreadLabelState.current().effective();
	}

	/**
	 * Runs {@code work} with the current labels merged with {@code labels}, then restores the
	 * previous labels, also when {@code work} throws.
	 * @param labels the labels to add
	 * @param work the work
	 */
	public static void run(LabelSet labels, Runnable work) {
		Objects.requireNonNull(labels, "labels must not be null");
		ThreadLabelState state = ThreadLabelState.current();
		LabelSet previous = state.labels();
		long since = state.sinceNanos;
		long replacedAt = state.replacedAtNanos;
		LabelScope mark = state.newestScope;
		state.enterLexical(previous.with(labels), LabelClock.now(), replacedAt);
		try {
			work.run();
		}
		finally {
			if (state.newestScope != mark) {
				state.endOwner(mark, "ProfilingLabels.run", labels);
			}
			state.restoreLexical(previous, since, replacedAt);
		}
	}

	/**
	 * Calls {@code work} with the current labels merged with {@code labels}, then restores
	 * the previous labels, also when {@code work} throws.
	 * @param <T> the result type
	 * @param labels the labels to add
	 * @param work the work
	 * @return what {@code work} returned
	 * @throws Exception what {@code work} threw
	 */
	public static <T> T call(LabelSet labels, Callable<T> work) throws Exception {
		Objects.requireNonNull(labels, "labels must not be null");
		ThreadLabelState state = ThreadLabelState.current();
		LabelSet previous = state.labels();
		long since = state.sinceNanos;
		long replacedAt = state.replacedAtNanos;
		LabelScope mark = state.newestScope;
		state.enterLexical(previous.with(labels), LabelClock.now(), replacedAt);
		try {
			return work.call();
		}
		finally {
			if (state.newestScope != mark) {
				state.endOwner(mark, "ProfilingLabels.call", labels);
			}
			state.restoreLexical(previous, since, replacedAt);
		}
	}

	/**
	 * Replaces the current thread's labels with exactly {@code labels}, without merging, until
	 * the returned scope is closed. A scope left open longer than the configured age is
	 * reported as stale by {@link LabelRegistry}: that is the leak Go programs get from
	 * {@code SetGoroutineLabels} without a restore.
	 * @param labels the labels
	 * @return the scope to close
	 */
	public static LabelScope replace(LabelSet labels) {
		Objects.requireNonNull(labels, "labels must not be null");
		ThreadLabelState state = ThreadLabelState.current();
		LabelScope scope = new LabelScope(state, Thread.currentThread(), false, "replace", labels);
		state.inherited = false;
		// stale detection needs a real time even while no registry keeps the clock running
		long now = System.nanoTime();
		state.enter(labels, now, now);
		return scope;
	}

	/**
	 * Merges {@code labels} into the current thread's labels until the returned scope is
	 * closed. Reached by integrations through {@link dev.diagkit.labels.spi.LabelScopes}.
	 */
	static LabelScope open(LabelSet labels) {
		Objects.requireNonNull(labels, "labels must not be null");
		ThreadLabelState state = ThreadLabelState.current();
		LabelScope scope = new LabelScope(state, Thread.currentThread(), false, "open", labels);
		state.enter(state.labels().with(labels));
		return scope;
	}

	/**
	 * Lays the labels of the tracing span now current over the thread's own labels.
	 * Reached by integrations through {@link dev.diagkit.labels.spi.LabelScopes}.
	 */
	static LabelSet swapSpan(LabelSet spanLabels) {
		Objects.requireNonNull(spanLabels, "spanLabels must not be null");
		return ThreadLabelState.current().swapSpan(spanLabels);
	}

	/**
	 * Runs the current thread under exactly {@code labels} until the returned scope is
	 * closed. Reached by integrations through {@link dev.diagkit.labels.spi.LabelScopes}.
	 */
	static LabelScope openExactly(LabelSet labels) {
		Objects.requireNonNull(labels, "labels must not be null");
		ThreadLabelState state = ThreadLabelState.current();
		LabelScope scope = new LabelScope(state, Thread.currentThread(), true, "openExactly", labels);
		state.inherited = false;
		state.enter(labels, LabelClock.now(), 0);
		return scope;
	}

	/**
	 * Returns the id of the trace task the current thread works for, 0 for none. Reached by
	 * integrations through {@link dev.diagkit.labels.spi.TaskIds}.
	 */
	static long task() {
		return ThreadLabelState.current().task;
	}

	/**
	 * Sets the id of the trace task the current thread works for and returns the one before.
	 * Reached by integrations through {@link dev.diagkit.labels.spi.TaskIds}.
	 */
	static long swapTask(long task) {
		ThreadLabelState state = ThreadLabelState.current();
		long previous = state.task;
		state.task = task;
		return previous;
	}

	/**
	 * Returns {@code work} bound to exactly {@code labels}: wherever it runs, it runs under
	 * those labels, and the running thread gets its own labels back afterwards. A worker
	 * thread whose labels were only inherited from the thread that created it (a pool thread
	 * created during a labelled request) drops them after the first such task. Unlike
	 * {@link #wrap(Runnable)}, the work does not carry the current thread's trace task: the
	 * labels given may belong to other work (a queued job).
	 * @param labels the labels to run under
	 * @param work the work
	 * @return the bound work
	 */
	public static Runnable wrap(LabelSet labels, Runnable work) {
		Objects.requireNonNull(labels, "labels must not be null");
		Objects.requireNonNull(work, "work must not be null");
		// explicit labels may come from anywhere (a queued job): the task of this thread stays here
		return new LabeledRunnable(labels, 0, work);
	}

	/**
	 * Returns {@code work} bound to the current thread's labels, and to the trace task it
	 * works for ({@code dev.diagkit.trace.DiagTask}); see {@link #wrap(LabelSet, Runnable)}.
	 * @param work the work
	 * @return the bound work
	 */
	public static Runnable wrap(Runnable work) {
		Objects.requireNonNull(work, "work must not be null");
		ThreadLabelState state = ThreadLabelState.current();
		return new LabeledRunnable(state.effective(), state.task, work);
	}

	/**
	 * Returns {@code work} bound to the current thread's labels, and to the trace task it
	 * works for; see {@link #wrap(LabelSet, Runnable)}.
	 * @param <T> the result type
	 * @param work the work
	 * @return the bound work
	 */
	public static <T> Callable<T> wrap(Callable<T> work) {
		Objects.requireNonNull(work, "work must not be null");
		ThreadLabelState state = ThreadLabelState.current();
		return new LabeledCallable<>(state.effective(), state.task, work);
	}

	/**
	 * Returns {@code work} bound to exactly {@code labels}; see
	 * {@link #wrap(LabelSet, Runnable)}.
	 * @param <T> the result type
	 * @param labels the labels to run under
	 * @param work the work
	 * @return the bound work
	 */
	public static <T> Callable<T> wrap(LabelSet labels, Callable<T> work) {
		Objects.requireNonNull(labels, "labels must not be null");
		Objects.requireNonNull(work, "work must not be null");
		return new LabeledCallable<>(labels, 0, work);
	}

	/**
	 * Returns an executor that runs every task under the labels of the thread that submitted
	 * it.
	 * @param executor the executor to delegate to
	 * @return the label-propagating executor
	 */
	public static Executor wrap(Executor executor) {
		Objects.requireNonNull(executor, "executor must not be null");
		if (executor instanceof ExecutorService executorService) {
			return wrap(executorService);
		}
		return (executor instanceof LabelPropagatingExecutor) ? executor : new LabelPropagatingExecutor(executor);
	}

	/**
	 * Returns an executor service that runs every task under the labels of the thread that
	 * submitted it. Shutting it down shuts down {@code executorService}.
	 * @param executorService the executor service to delegate to
	 * @return the label-propagating executor service
	 */
	public static ExecutorService wrap(ExecutorService executorService) {
		Objects.requireNonNull(executorService, "executorService must not be null");
		return (executorService instanceof LabelPropagatingExecutorService) ? executorService
				: new LabelPropagatingExecutorService(executorService);
	}

	/**
	 * Runs {@code work} under exactly {@code labels}, then restores the thread's own labels
	 * (none, when they were only inherited from the thread that created it).
	 */
	static <T> T callExactly(LabelSet labels, long task, Callable<T> work) throws Exception {
		ThreadLabelState state = ThreadLabelState.current();
		LabelScope mark = state.newestScope;
		Saved saved = enterExactly(state, labels, task);
		try {
			return work.call();
		}
		finally {
			if (state.newestScope != mark) {
				state.endOwner(mark, "a task", labels);
			}
			saved.restore(state);
		}
	}

	static void runExactly(LabelSet labels, long task, Runnable work) {
		ThreadLabelState state = ThreadLabelState.current();
		LabelScope mark = state.newestScope;
		Saved saved = enterExactly(state, labels, task);
		try {
			work.run();
		}
		finally {
			if (state.newestScope != mark) {
				state.endOwner(mark, "a task", labels);
			}
			saved.restore(state);
		}
	}

	private static Saved enterExactly(ThreadLabelState state, LabelSet labels, long task) {
		Saved saved = new Saved(state.labels(), state.sinceNanos, state.replacedAtNanos, state.inherited, state.task);
		state.task = task;
		// a task nested in this one must give back these labels, not drop them as inherited
		state.inherited = false;
		state.enterLexical(labels, LabelClock.now(), 0);
		return saved;
	}

	/** What a thread had before a task ran under exactly its submitter's labels. */
	private record Saved(LabelSet labels, long since, long replacedAt, boolean inherited, long task) {

		void restore(ThreadLabelState state) {
			state.task = this.task;
			if (this.inherited) {
				state.inherited = false;
				state.restoreLexical(LabelSet.empty(), LabelClock.now(), 0);
			}
			else {
				state.restoreLexical(this.labels, this.since, this.replacedAt);
			}
		}

	}

}
