package dev.diagkit.metrics;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

import dev.diagkit.export.ExportEvents;
import dev.diagkit.export.ProfileWindow;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Meters of continuous profiling, fed by its {@link ExportEvents}:
 * {@code diagkit.profiling.windows{type}}, {@code diagkit.profiling.samples{type}},
 * {@code diagkit.profiling.truncated{type}} (samples whose stacks lost their roots),
 * {@code diagkit.profiling.uploads{sink,result}},
 * {@code diagkit.profiling.upload.duration{sink}}, {@code diagkit.profiling.dropped{reason}}
 * and {@code diagkit.profiling.coverage}, the share of the time since the first window that
 * windows cover (1 when none was lost). {@link #size} adds the gauges of a sink's disk use
 * ({@code diagkit.profiling.spool.size}, {@code diagkit.profiling.store.size}).
 */
public class ContinuousProfilingMetrics implements MeterBinder, ExportEvents {

	private final Iterable<Tag> tags;

	private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();

	private final Object coverageLock = new Object();

	private long firstFrom = Long.MIN_VALUE;

	private long lastUntil = Long.MIN_VALUE;

	private long lastSequence = -1;

	private long coveredNanos;

	/**
	 * Creates the binder.
	 * @param tags tags added to every meter
	 */
	public ContinuousProfilingMetrics(Iterable<Tag> tags) {
		this.tags = tags;
	}

	/**
	 * Returns a binder of a gauge of the bytes a sink keeps on disk.
	 * @param name the meter's name, such as {@code diagkit.profiling.store.size}
	 * @param description what the bytes are
	 * @param bytes reads the size
	 * @param tags tags added to the meter
	 * @return the binder
	 */
	public static MeterBinder size(String name, String description, LongSupplier bytes, Iterable<Tag> tags) {
		// the supplier is often a method reference nothing else holds: a weak gauge would read NaN
		return (registry) -> Gauge.builder(name, bytes, (supplier) -> supplier.getAsLong())
			.strongReference(true)
			.tags(tags)
			.description(description)
			.baseUnit("bytes")
			.register(registry);
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder("diagkit.profiling.coverage", this, ContinuousProfilingMetrics::coverage)
			.tags(this.tags)
			.description("Share of the time since continuous profiling started that its windows cover")
			.register(registry);
		this.registries.add(registry);
	}

	/**
	 * Returns the share of the time from the first window's start to the last window's end
	 * that windows cover.
	 * @return the share, 0 before the first window
	 */
	public double coverage() {
		synchronized (this.coverageLock) {
			long span = this.lastUntil - this.firstFrom;
			return (this.lastSequence < 0 || span <= 0) ? 0 : Math.min(1.0, (double) this.coveredNanos / span);
		}
	}

	@Override
	public void windowMade(ProfileWindow window) {
		synchronized (this.coverageLock) {
			if (window.sequence() > this.lastSequence) {
				long from = epochNanos(window.from().getEpochSecond(), window.from().getNano());
				long until = epochNanos(window.until().getEpochSecond(), window.until().getNano());
				if (this.lastSequence < 0) {
					this.firstFrom = from;
				}
				this.lastSequence = window.sequence();
				this.lastUntil = until;
				this.coveredNanos += until - from;
			}
		}
		Tags type = Tags.of(this.tags).and("type", window.type().id());
		for (MeterRegistry registry : this.registries) {
			Counter.builder("diagkit.profiling.windows")
				.tags(type)
				.description("Continuous profiling windows made")
				.register(registry)
				.increment();
			Counter.builder("diagkit.profiling.samples")
				.tags(type)
				.description("Samples in continuous profiling windows")
				.register(registry)
				.increment(window.sampleCount());
		}
	}

	@Override
	public void truncated(ProfileWindow window, long samples) {
		for (MeterRegistry registry : this.registries) {
			Counter.builder("diagkit.profiling.truncated")
				.tags(Tags.of(this.tags).and("type", window.type().id()))
				.description("Samples of continuous profiling whose stacks were deeper than JFR records")
				.register(registry)
				.increment(samples);
		}
	}

	@Override
	public void upload(String sink, String result, Duration took) {
		for (MeterRegistry registry : this.registries) {
			Counter.builder("diagkit.profiling.uploads")
				.tags(Tags.of(this.tags).and("sink", sink).and("result", result))
				.description("Attempts to deliver a profile window to a sink")
				.register(registry)
				.increment();
			Timer.builder("diagkit.profiling.upload.duration")
				.tags(Tags.of(this.tags).and("sink", sink))
				.description("Time taken by attempts to deliver a profile window")
				.register(registry)
				.record(took);
		}
	}

	@Override
	public void dropped(String reason, long count) {
		for (MeterRegistry registry : this.registries) {
			Counter.builder("diagkit.profiling.dropped")
				.tags(Tags.of(this.tags).and("reason", reason))
				.description("Profile windows given up, by reason")
				.register(registry)
				.increment(count);
		}
	}

	private static long epochNanos(long seconds, int nanos) {
		return seconds * 1_000_000_000L + nanos;
	}

}
