package dev.diagkit.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import jdk.jfr.consumer.RecordedEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Safepoints from JFR: {@code diagkit.safepoint} times each safepoint from the VM's request
 * to stop every Java thread until the threads resumed, and {@code diagkit.safepoint.sync}
 * the part spent waiting for the threads to stop (time to safepoint, from
 * {@code jdk.SafepointStateSynchronization}). GC pauses are one kind of safepoint;
 * Micrometer's {@code jvm.gc.pause} already times those.
 * <p>
 * A JFR stream with only the three safepoint events enabled
 * runs from the first {@link #bindTo} until {@link #close()}; events arrive about once a
 * second. Where JFR is unavailable nothing is registered.
 */
public class SafepointMetrics implements MeterBinder, AutoCloseable {

	private static final Log logger = LogFactory.getLog(SafepointMetrics.class);

	private static final int MAX_OPEN = 1024;

	private final Iterable<Tag> tags;

	private final List<Timer> safepoints = new CopyOnWriteArrayList<>();

	private final List<Timer> syncs = new CopyOnWriteArrayList<>();

	/** Safepoint id to the start of its begin event, until the end event arrives. */
	private final Map<Long, Instant> open = new LinkedHashMap<>();

	private final JfrEventStream events = new JfrEventStream(handlers(), logger, "safepoint metrics");

	/**
	 * Creates the binder.
	 * @param tags tags added to every meter
	 */
	public SafepointMetrics(Iterable<Tag> tags) {
		this.tags = tags;
	}

	private Map<String, Consumer<RecordedEvent>> handlers() {
		Map<String, Consumer<RecordedEvent>> handlers = new LinkedHashMap<>();
		handlers.put("jdk.SafepointBegin", this::begin);
		handlers.put("jdk.SafepointStateSynchronization", this::threadsStopped);
		handlers.put("jdk.SafepointEnd", this::end);
		return handlers;
	}

	@Override
	public synchronized void bindTo(MeterRegistry registry) {
		if (!this.events.start()) {
			return;
		}
		this.safepoints.add(Timer.builder("diagkit.safepoint")
			.tags(this.tags)
			.description("Safepoints, from the request to stop every Java thread until the threads resumed")
			.register(registry));
		this.syncs.add(Timer.builder("diagkit.safepoint.sync")
			.tags(this.tags)
			.description("Time from a safepoint request until every Java thread had stopped")
			.register(registry));
	}

	private void threadsStopped(RecordedEvent event) {
		Duration sync = event.getDuration();
		for (Timer timer : this.syncs) {
			timer.record(sync);
		}
	}

	private void begin(RecordedEvent event) {
		synchronized (this.open) {
			if (this.open.size() >= MAX_OPEN) {
				Long oldest = this.open.keySet().iterator().next();
				this.open.remove(oldest);
			}
			this.open.put(event.getLong("safepointId"), event.getStartTime());
		}
	}

	private void end(RecordedEvent event) {
		Instant begun;
		synchronized (this.open) {
			begun = this.open.remove(event.getLong("safepointId"));
		}
		if (begun == null) {
			return;
		}
		Duration total = Duration.between(begun, event.getEndTime());
		if (!total.isNegative()) {
			for (Timer timer : this.safepoints) {
				timer.record(total);
			}
		}
	}

	/**
	 * Ends the JFR stream.
	 */
	@Override
	public void close() {
		this.events.close();
	}

}
