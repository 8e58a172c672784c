package dev.diagkit.memory;

import java.util.List;
import java.util.Locale;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

import dev.diagkit.memory.HeapTargetPolicy.Reason;

/**
 * Meters of the adaptive heap target: {@code diagkit.memory.heap.target} and
 * {@code diagkit.memory.heap.target.floor} (bytes), and
 * {@code diagkit.memory.heap.target.changes{reason}}, the changes counted by why they were
 * made.
 */
public class HeapTargetMetrics implements MeterBinder {

	private static final List<Reason> CHANGE_REASONS = List.of(Reason.PRESSURE, Reason.PRESSURE_GONE,
			Reason.GC_BACK_OFF, Reason.FLOOR, Reason.OPERATOR);

	private final AdaptiveHeapController controller;

	private final Iterable<Tag> tags;

	/**
	 * Creates the binder.
	 * @param controller the controller whose figures are published
	 * @param tags tags added to every meter
	 */
	public HeapTargetMetrics(AdaptiveHeapController controller, Iterable<Tag> tags) {
		this.controller = controller;
		this.tags = tags;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder("diagkit.memory.heap.target", this.controller, (c) -> c.status().target())
			.description("The adaptive heap target: SoftMaxHeapSize on ZGC and Shenandoah, what it would be otherwise")
			.baseUnit("bytes")
			.tags(this.tags)
			.register(registry);
		Gauge.builder("diagkit.memory.heap.target.floor", this.controller, HeapTargetMetrics::floor)
			.description("The lowest target allowed in the latest period: a share of the base, or the live heap "
					+ "with headroom")
			.baseUnit("bytes")
			.tags(this.tags)
			.register(registry);
		for (Reason reason : CHANGE_REASONS) {
			FunctionCounter.builder("diagkit.memory.heap.target.changes", this.controller, (c) -> c.changes(reason))
				.description("Changes of the adaptive heap target, by why they were made")
				.tags(Tags.of(this.tags).and("reason", reason.name().toLowerCase(Locale.ROOT)))
				.register(registry);
		}
	}

	private static double floor(AdaptiveHeapController controller) {
		HeapTargetPolicy.Decision decision = controller.status().lastDecision();
		return (decision != null) ? decision.floor() : Double.NaN;
	}

}
