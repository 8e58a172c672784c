package dev.diagkit.metrics;

import java.util.List;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

import dev.diagkit.runtime.NativeMemorySummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Native memory by Native Memory Tracking category
 * ({@code diagkit.native.memory.committed{category}} and {@code .reserved}), when the JVM runs
 * with {@code -XX:NativeMemoryTracking=summary} or {@code detail}. A summary takes
 * milliseconds, so it is taken by {@link #refresh()} on a schedule; meters read the latest.
 * Without tracking, nothing is registered.
 */
public class NativeMemoryMetrics implements MeterBinder {

	private final Supplier<NativeMemorySummary> summaries;

	private final Iterable<Tag> tags;

	private final boolean tracking;

	private volatile NativeMemorySummary latest;

	/**
	 * Creates the binder.
	 * @param summaries takes a summary, such as {@link NativeMemorySummary#take()}
	 * @param tags tags added to every meter
	 */
	public NativeMemoryMetrics(Supplier<NativeMemorySummary> summaries, Iterable<Tag> tags) {
		this.summaries = summaries;
		this.tags = tags;
		this.latest = summaries.get();
		this.tracking = this.latest.enabled();
	}

	/**
	 * Creates the binder for this JVM.
	 */
	public NativeMemoryMetrics() {
		this(NativeMemorySummary::take, List.of());
	}

	/**
	 * Returns whether native memory tracking is on.
	 * @return whether meters will be registered
	 */
	public boolean enabled() {
		return this.tracking;
	}

	/**
	 * Takes a new summary for the meters to read; one that fails keeps the previous.
	 */
	public void refresh() {
		if (this.tracking) {
			NativeMemorySummary summary = this.summaries.get();
			if (summary.enabled()) {
				this.latest = summary;
			}
		}
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (NativeMemorySummary.Category category : this.latest.categories()) {
			gauge(registry, "diagkit.native.memory.committed", category.name(),
					"Native memory committed by the JVM for a category", NativeMemorySummary.Category::committedKb);
			gauge(registry, "diagkit.native.memory.reserved", category.name(),
					"Native memory reserved by the JVM for a category", NativeMemorySummary.Category::reservedKb);
		}
	}

	private void gauge(MeterRegistry registry, String name, String category, String description,
			ToLongFunction<NativeMemorySummary.Category> kilobytes) {
		Gauge.builder(name, this, (metrics) -> metrics.latest.category(category)
			.map((c) -> kilobytes.applyAsLong(c) * 1024.0)
			.orElse(Double.NaN))
			.tags(Tags.concat(this.tags, "category", category))
			.description(description)
			.baseUnit(BaseUnits.BYTES)
			.strongReference(true)
			.register(registry);
	}

}
