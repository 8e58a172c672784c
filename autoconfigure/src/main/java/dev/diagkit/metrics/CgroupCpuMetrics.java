package dev.diagkit.metrics;

import java.util.Optional;
import java.util.function.ToDoubleFunction;

import dev.diagkit.runtime.CgroupCpu;
import dev.diagkit.runtime.ProcessCgroup;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

/**
 * The CPU quota of the process's cgroup and how much the kernel throttled it:
 * {@code diagkit.cgroup.cpu.limit} (CPUs, NaN without a quota),
 * {@code diagkit.cgroup.cpu.throttled} (seconds threads were held back),
 * {@code diagkit.cgroup.cpu.periods} and {@code diagkit.cgroup.cpu.throttled.periods}
 * (scheduling periods, all and throttled). Registered only where a CPU controller is found;
 * {@code cpu.stat} is read once per scrape, its reading kept for a second.
 */
public class CgroupCpuMetrics implements MeterBinder {

	private static final long READING_NANOS = 1_000_000_000L;

	private final CgroupCpu cpu;

	private final Iterable<Tag> tags;

	private CgroupCpu.@Nullable Throttling reading;

	private long readAt;

	/**
	 * Creates the binder for the running process.
	 * @param tags tags added to every meter
	 */
	public CgroupCpuMetrics(Iterable<Tag> tags) {
		this(CgroupCpu.forThisProcess(), tags);
	}

	/**
	 * Creates the binder for a cgroup's CPU controller.
	 * @param cpu the reader
	 * @param tags tags added to every meter
	 */
	public CgroupCpuMetrics(CgroupCpu cpu, Iterable<Tag> tags) {
		this.cpu = cpu;
		this.tags = tags;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		if (this.cpu.source() == ProcessCgroup.Layout.NONE) {
			return;
		}
		Gauge.builder("diagkit.cgroup.cpu.limit", this.cpu, (c) -> c.limit().orElse(Double.NaN))
			.tags(this.tags)
			.description("CPUs the cgroup's quota allows (quota / period); NaN without a quota")
			.baseUnit("cpus")
			.strongReference(true)
			.register(registry);
		counter(registry, "diagkit.cgroup.cpu.throttled", "seconds",
				"Time the cgroup's threads were held back because it had used its CPU quota",
				CgroupCpu.Throttling::throttledSeconds);
		counter(registry, "diagkit.cgroup.cpu.periods", "periods",
				"Scheduling periods in which the cgroup had threads to run", (t) -> t.periods());
		counter(registry, "diagkit.cgroup.cpu.throttled.periods", "periods",
				"Scheduling periods in which the cgroup used up its CPU quota", (t) -> t.throttledPeriods());
	}

	private void counter(MeterRegistry registry, String name, String unit, String description,
			ToDoubleFunction<CgroupCpu.Throttling> value) {
		FunctionCounter.builder(name, this, (metrics) -> metrics.throttling().map(value::applyAsDouble).orElse(Double.NaN))
			.tags(this.tags)
			.description(description)
			.baseUnit(unit)
			.register(registry);
	}

	private synchronized Optional<CgroupCpu.Throttling> throttling() {
		long now = System.nanoTime();
		if (this.reading == null || now - this.readAt > READING_NANOS) {
			this.reading = this.cpu.throttling().orElse(null);
			this.readAt = now;
		}
		return Optional.ofNullable(this.reading);
	}

}
