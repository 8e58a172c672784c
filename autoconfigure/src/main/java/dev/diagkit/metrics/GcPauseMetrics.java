package dev.diagkit.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import dev.diagkit.runtime.GcActivity;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import jdk.jfr.consumer.RecordedEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * GC pauses from JFR, to the microsecond: {@code diagkit.gc.pause{explicit}} times every
 * pause ({@code jdk.GCPhasePause}) with histogram buckets from 100 µs, so that ZGC's
 * sub-millisecond pauses and a "p99 under 1 ms" rule can be judged; Micrometer's
 * {@code jvm.gc.pause} comes from the GC notifications, in whole milliseconds. A pause is
 * {@code explicit="true"} when its collection was asked for ({@code System.gc()},
 * {@code POST /actuator/diag/gc}, {@code jcmd GC.run}, heap dumps): its cause is read from the
 * collection's {@code jdk.GarbageCollection} event, which ends after its pauses.
 * <p>
 * A JFR stream with only these two events enabled runs from the first {@link #bindTo} until
 * {@link #close()}; events arrive about once a second. Where JFR is unavailable nothing is
 * registered.
 */
public class GcPauseMetrics implements MeterBinder, AutoCloseable {

	private static final Log logger = LogFactory.getLog(GcPauseMetrics.class);

	private static final int MAX_WAITING = 1024;

	private static final int KNOWN_CAUSES = 64;

	static final Duration[] BUCKETS = { Duration.ofNanos(100_000), Duration.ofNanos(250_000), Duration.ofNanos(500_000),
			Duration.ofMillis(1), Duration.ofNanos(2_500_000), Duration.ofMillis(5), Duration.ofMillis(10),
			Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
			Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5) };

	private final Iterable<Tag> tags;

	private final List<Timer> needed = new CopyOnWriteArrayList<>();

	private final List<Timer> explicit = new CopyOnWriteArrayList<>();

	/** Pauses by collection id, until the collection's cause is known; guarded by itself. */
	private final Map<Long, List<Duration>> waiting = new LinkedHashMap<>();

	/** Whether recent collections were explicit, for a pause that arrives after its collection. */
	private final Map<Long, Boolean> causes = new LinkedHashMap<>();

	private final JfrEventStream events = new JfrEventStream(handlers(), logger, "GC pause metrics");

	/**
	 * Creates the binder.
	 * @param tags tags added to every meter
	 */
	public GcPauseMetrics(Iterable<Tag> tags) {
		this.tags = tags;
	}

	private Map<String, Consumer<RecordedEvent>> handlers() {
		Map<String, Consumer<RecordedEvent>> handlers = new LinkedHashMap<>();
		handlers.put("jdk.GCPhasePause", this::pause);
		handlers.put("jdk.GarbageCollection", this::collection);
		return handlers;
	}

	@Override
	public synchronized void bindTo(MeterRegistry registry) {
		if (!this.events.start()) {
			return;
		}
		this.needed.add(timer(registry, "false"));
		this.explicit.add(timer(registry, "true"));
	}

	private Timer timer(MeterRegistry registry, String explicitValue) {
		return Timer.builder("diagkit.gc.pause")
			.tags(this.tags)
			.tag("explicit", explicitValue)
			.description("GC pauses from JFR, to the microsecond; explicit=true for collections something asked for")
			.serviceLevelObjectives(BUCKETS)
			.register(registry);
	}

	private void pause(RecordedEvent event) {
		long gcId = event.getLong("gcId");
		Duration pause = event.getDuration();
		Boolean explicitCollection;
		synchronized (this.waiting) {
			explicitCollection = this.causes.get(gcId);
			if (explicitCollection == null) {
				if (this.waiting.size() >= MAX_WAITING) {
					this.waiting.remove(this.waiting.keySet().iterator().next());
				}
				this.waiting.computeIfAbsent(gcId, (id) -> new ArrayList<>(2)).add(pause);
				return;
			}
		}
		record(explicitCollection, List.of(pause));
	}

	private void collection(RecordedEvent event) {
		long gcId = event.getLong("gcId");
		boolean explicitCollection = GcActivity.EXPLICIT_CAUSES.contains(event.getString("cause"));
		List<Duration> pauses;
		synchronized (this.waiting) {
			pauses = this.waiting.remove(gcId);
			if (this.causes.size() >= KNOWN_CAUSES) {
				this.causes.remove(this.causes.keySet().iterator().next());
			}
			this.causes.put(gcId, explicitCollection);
		}
		if (pauses != null) {
			record(explicitCollection, pauses);
		}
	}

	private void record(boolean explicitCollection, List<Duration> pauses) {
		for (Timer timer : explicitCollection ? this.explicit : this.needed) {
			for (Duration pause : pauses) {
				timer.record(pause);
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
