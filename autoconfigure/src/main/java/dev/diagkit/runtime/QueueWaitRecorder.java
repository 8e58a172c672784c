package dev.diagkit.runtime;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.LongConsumer;

/**
 * How long tasks wait in executors' queues, from submission until a worker starts them (Go's
 * {@code /sched/latencies}, for executors): one {@link LatencyHistogram} per executor, and
 * observers (a meter, say) told of every wait. Tasks are measured by
 * {@link #wrap(String, Runnable)}, applied where tasks are submitted.
 */
public final class QueueWaitRecorder {

	private final ConcurrentMap<String, Executor> executors = new ConcurrentHashMap<>();

	private final List<Function<String, LongConsumer>> observers = new CopyOnWriteArrayList<>();

	/**
	 * Wraps a task so that, when it starts, the time since this call is recorded as the
	 * queue wait of the executor.
	 * @param executor the executor's name
	 * @param task the task being submitted
	 * @return the task to hand to the executor
	 */
	public Runnable wrap(String executor, Runnable task) {
		return new TimedTask(executor(executor), System.nanoTime(), task);
	}

	/**
	 * Returns the waits of every executor seen so far.
	 * @return counts by executor name, sorted by name
	 */
	public Map<String, LatencyHistogram.Counts> snapshots() {
		Map<String, LatencyHistogram.Counts> snapshots = new TreeMap<>();
		this.executors.forEach((name, executor) -> snapshots.put(name, executor.histogram.snapshot()));
		return snapshots;
	}

	/**
	 * Tells an observer of every wait from now on: {@code observer} is asked once per
	 * executor, those seen so far and those to come, for what receives that executor's waits
	 * in nanoseconds.
	 * @param observer gives, for an executor's name, what to tell of its waits
	 */
	public synchronized void observe(Function<String, LongConsumer> observer) {
		this.observers.add(observer);
		this.executors.forEach((name, executor) -> executor.observers.add(observer.apply(name)));
	}

	private Executor executor(String name) {
		Executor executor = this.executors.get(name);
		return (executor != null) ? executor : newExecutor(name);
	}

	/**
	 * Creates an executor's entry under the same lock as {@link #observe}, so that every
	 * observer hears of it once: neither never nor twice.
	 */
	private synchronized Executor newExecutor(String name) {
		Executor executor = this.executors.get(name);
		if (executor == null) {
			executor = new Executor();
			for (Function<String, LongConsumer> observer : this.observers) {
				executor.observers.add(observer.apply(name));
			}
			this.executors.put(name, executor);
		}
		return executor;
	}

	private static final class Executor {

		final LatencyHistogram histogram = new LatencyHistogram();

		final List<LongConsumer> observers = new CopyOnWriteArrayList<>();

		void record(long nanos) {
			this.histogram.record(nanos);
			for (LongConsumer observer : this.observers) {
				observer.accept(nanos);
			}
		}

	}

	private static final class TimedTask implements Runnable {

		private final Executor executor;

		private final long submittedAt;

		private final Runnable task;

		TimedTask(Executor executor, long submittedAt, Runnable task) {
			this.executor = executor;
			this.submittedAt = submittedAt;
			this.task = task;
		}

		@Override
		public void run() {
			this.executor.record(System.nanoTime() - this.submittedAt);
			this.task.run();
		}

		@Override
		public String toString() {
			return this.task.toString();
		}

	}

}
