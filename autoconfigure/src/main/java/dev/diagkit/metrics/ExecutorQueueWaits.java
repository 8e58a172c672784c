package dev.diagkit.metrics;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.diagkit.runtime.QueueWaitRecorder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The queue waits of a {@link QueueWaitRecorder} as the timer
 * {@code diagkit.executor.queue.wait{name}}, with service-level buckets so that Prometheus
 * gets {@code _bucket} series.
 */
public class ExecutorQueueWaits implements MeterBinder {

	private final QueueWaitRecorder recorder;

	private final List<Duration> serviceLevelObjectives;

	private final Iterable<Tag> tags;

	/**
	 * Creates the binder.
	 * @param recorder the source of the waits
	 * @param serviceLevelObjectives the bucket boundaries of the timer
	 * @param tags tags added to every meter
	 */
	public ExecutorQueueWaits(QueueWaitRecorder recorder, List<Duration> serviceLevelObjectives,
			Iterable<Tag> tags) {
		this.recorder = recorder;
		this.serviceLevelObjectives = List.copyOf(serviceLevelObjectives);
		this.tags = tags;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.recorder.observe((executor) -> {
			Timer timer = Timer.builder("diagkit.executor.queue.wait")
				.tags(Tags.concat(this.tags, "name", executor))
				.description("Time tasks waited in the executor between submission and start")
				.serviceLevelObjectives(this.serviceLevelObjectives.toArray(Duration[]::new))
				.register(registry);
			return (nanos) -> timer.record(nanos, TimeUnit.NANOSECONDS);
		});
	}

}
