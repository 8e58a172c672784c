package dev.diagkit.metrics;

import java.util.List;

import dev.diagkit.runtime.ProcessThreadTimes;
import dev.diagkit.runtime.ThreadClass;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Process CPU time split by {@link ThreadClass} ({@code diagkit.cpu.time{class}}), the
 * garbage collector's share of it ({@code diagkit.cpu.gc.share}, Go's GC CPU fraction) and
 * the time threads waited in the kernel's run queue ({@code diagkit.threads.run.queue.wait{class}},
 * the analogue of Go's scheduling latency). Values come from the latest
 * {@link ProcessThreadTimes#refresh()}; nothing is registered where the kernel offers no
 * per-thread scheduler statistics.
 */
public class ThreadCpuMetrics implements MeterBinder {

	private final ProcessThreadTimes times;

	private final Iterable<Tag> tags;

	/**
	 * Creates the binder.
	 * @param times the source, refreshed elsewhere on a schedule
	 * @param tags tags added to every meter
	 */
	public ThreadCpuMetrics(ProcessThreadTimes times, Iterable<Tag> tags) {
		this.times = times;
		this.tags = tags;
	}

	/**
	 * Creates the binder without extra tags.
	 * @param times the source
	 */
	public ThreadCpuMetrics(ProcessThreadTimes times) {
		this(times, List.of());
	}

	/**
	 * Returns the source, which must be refreshed on a schedule for the meters to move.
	 * @return the per-thread CPU source
	 */
	public ProcessThreadTimes times() {
		return this.times;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		if (!this.times.available()) {
			return;
		}
		for (ThreadClass threadClass : ThreadClass.values()) {
			Tags classTags = Tags.concat(this.tags, "class", threadClass.tag());
			FunctionCounter.builder("diagkit.cpu.time", this.times, (t) -> t.latest().cpuSeconds(threadClass))
				.tags(classTags)
				.description("CPU time used by the process's threads of a class: gc, jit, vm or application")
				.baseUnit("seconds")
				.register(registry);
			FunctionCounter
				.builder("diagkit.threads.run.queue.wait", this.times, (t) -> t.latest().runQueueWaitSeconds(threadClass))
				.tags(classTags)
				.description("Time the process's threads of a class were runnable but waited for a CPU")
				.baseUnit("seconds")
				.register(registry);
		}
		Gauge.builder("diagkit.cpu.gc.share", this.times, ProcessThreadTimes::recentGcShare)
			.tags(this.tags)
			.description("Share of the process's CPU time used by garbage collection over the latest second or more")
			.baseUnit("ratio")
			.strongReference(true)
			.register(registry);
	}

}
