package dev.diagkit.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * How long tasks wait in executors' queues, from submission until a worker starts them
 * (Go's {@code /sched/latencies}, for executors): the timer
 * {@code diagkit.executor.queue.wait{name}} with service-level buckets, so that Prometheus
 * gets {@code _bucket} series, and a {@link LatencyHistogram} per executor for the capacity
 * report. Tasks are measured by {@link #wrap(String, Runnable)}, which the auto-configuration
 * applies to the task executors it decorates.
 */
public class ExecutorQueueWaits implements MeterBinder {

	private final List<Duration> serviceLevelObjectives;

	private final Iterable<Tag> tags;

	private final ConcurrentMap<String, QueueWait> executors = new ConcurrentHashMap<>();

	private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();

	/**
	 * Creates the source.
	 * @param serviceLevelObjectives the bucket boundaries of the timer
	 * @param tags tags added to every meter
	 */
	public ExecutorQueueWaits(List<Duration> serviceLevelObjectives, Iterable<Tag> tags) {
		this.serviceLevelObjectives = List.copyOf(serviceLevelObjectives);
		this.tags = tags;
	}

	/**
	 * Wraps a task so that, when it starts, the time since this call is recorded as the
	 * queue wait of the executor.
	 * @param executor the executor's name
	 * @param task the task being submitted
	 * @return the task to hand to the executor
	 */
	public Runnable wrap(String executor, Runnable task) {
		return new TimedTask(queueWait(executor), System.nanoTime(), task);
	}

	/**
	 * Returns the histograms of every executor seen so far.
	 * @return counts by executor name, sorted by name
	 */
	public Map<String, LatencyHistogram.Counts> snapshots() {
		Map<String, LatencyHistogram.Counts> snapshots = new TreeMap<>();
		this.executors.forEach((name, wait) -> snapshots.put(name, wait.histogram.snapshot()));
		return snapshots;
	}

	@Override
	public synchronized void bindTo(MeterRegistry registry) {
		this.registries.add(registry);
		this.executors.forEach((name, wait) -> wait.timers.add(timer(registry, name)));
	}

	private QueueWait queueWait(String executor) {
		QueueWait wait = this.executors.get(executor);
		return (wait != null) ? wait : newQueueWait(executor);
	}

	/**
	 * Creates an executor's entry under the same lock as {@link #bindTo}, so that it gets
	 * one timer per registry: neither none nor two.
	 */
	private synchronized QueueWait newQueueWait(String executor) {
		QueueWait wait = this.executors.get(executor);
		if (wait == null) {
			wait = new QueueWait();
			for (MeterRegistry registry : this.registries) {
				wait.timers.add(timer(registry, executor));
			}
			this.executors.put(executor, wait);
		}
		return wait;
	}

	private Timer timer(MeterRegistry registry, String executor) {
		return Timer.builder("diagkit.executor.queue.wait")
			.tags(Tags.concat(this.tags, "name", executor))
			.description("Time tasks waited in the executor between submission and start")
			.serviceLevelObjectives(this.serviceLevelObjectives.toArray(Duration[]::new))
			.register(registry);
	}

	private static final class QueueWait {

		final LatencyHistogram histogram = new LatencyHistogram();

		final List<Timer> timers = new CopyOnWriteArrayList<>();

		void record(long nanos) {
			this.histogram.record(nanos);
			for (Timer timer : this.timers) {
				timer.record(nanos, TimeUnit.NANOSECONDS);
			}
		}

	}

	private static final class TimedTask implements Runnable {

		private final QueueWait wait;

		private final long submittedAt;

		private final Runnable task;

		TimedTask(QueueWait wait, long submittedAt, Runnable task) {
			this.wait = wait;
			this.submittedAt = submittedAt;
			this.task = task;
		}

		@Override
		public void run() {
			this.wait.record(System.nanoTime() - this.submittedAt);
			this.task.run();
		}

		@Override
		public String toString() {
			return this.task.toString();
		}

	}

}
