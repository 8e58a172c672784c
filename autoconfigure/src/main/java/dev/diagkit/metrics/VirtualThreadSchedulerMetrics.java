package dev.diagkit.metrics;

import java.util.List;
import java.util.function.ToDoubleFunction;

import dev.diagkit.runtime.VirtualThreadScheduler;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The virtual-thread scheduler of JDK 24 and later ({@code jdk.management.VirtualThreadSchedulerMXBean},
 * read reflectively): virtual threads mounted on a carrier ({@code diagkit.virtual.threads.mounted}),
 * queued for one ({@code diagkit.virtual.threads.queued}), and the scheduler's parallelism and
 * pool size. On older JDKs nothing is registered.
 */
public class VirtualThreadSchedulerMetrics implements MeterBinder {

	private final Iterable<Tag> tags;

	/**
	 * Creates the binder.
	 * @param tags tags added to every meter
	 */
	public VirtualThreadSchedulerMetrics(Iterable<Tag> tags) {
		this.tags = tags;
	}

	/**
	 * Creates the binder without extra tags.
	 */
	public VirtualThreadSchedulerMetrics() {
		this(List.of());
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		VirtualThreadScheduler scheduler = VirtualThreadScheduler.find().orElse(null);
		if (scheduler == null) {
			return;
		}
		gauge(registry, "diagkit.virtual.threads.mounted", "Virtual threads mounted on a carrier thread", scheduler,
				VirtualThreadScheduler::mounted);
		gauge(registry, "diagkit.virtual.threads.queued", "Virtual threads queued, waiting for a carrier thread",
				scheduler, VirtualThreadScheduler::queued);
		gauge(registry, "diagkit.virtual.threads.scheduler.parallelism",
				"Carrier threads the virtual-thread scheduler aims to keep running", scheduler,
				VirtualThreadScheduler::parallelism);
		gauge(registry, "diagkit.virtual.threads.scheduler.pool.size",
				"Carrier threads started by the virtual-thread scheduler", scheduler, VirtualThreadScheduler::poolSize);
	}

	private void gauge(MeterRegistry registry, String name, String description, VirtualThreadScheduler scheduler,
			ToDoubleFunction<VirtualThreadScheduler> reader) {
		Gauge.builder(name, scheduler, reader)
			.tags(this.tags)
			.description(description)
			.baseUnit("threads")
			.strongReference(true)
			.register(registry);
	}

}
