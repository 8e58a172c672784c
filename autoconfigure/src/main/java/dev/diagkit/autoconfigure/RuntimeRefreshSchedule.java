package dev.diagkit.autoconfigure;

import java.util.LinkedHashSet;
import java.util.Set;

import dev.diagkit.capacity.CapacitySampler;
import dev.diagkit.metrics.LabelActivityMetrics;
import dev.diagkit.metrics.NativeMemoryMetrics;
import dev.diagkit.metrics.ThreadCpuMetrics;
import dev.diagkit.runtime.MetricsRefresher;
import dev.diagkit.runtime.ProcessThreadTimes;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Puts every bean whose figures need refreshing on the {@code diagkit-metrics} thread once
 * all singletons exist, whether diagkit or the application defined it: the per-thread CPU
 * sources of {@link ThreadCpuMetrics} beans, {@link LabelActivityMetrics},
 * {@link NativeMemoryMetrics} (when tracking is on) and {@link CapacitySampler} beans.
 */
class RuntimeRefreshSchedule implements SmartInitializingSingleton {

	private final MetricsRefresher refresher;

	private final DiagkitProperties properties;

	private final ObjectProvider<ThreadCpuMetrics> threadCpu;

	private final ObjectProvider<LabelActivityMetrics> labelActivity;

	private final ObjectProvider<NativeMemoryMetrics> nativeMemory;

	private final ObjectProvider<CapacitySampler> capacity;

	RuntimeRefreshSchedule(MetricsRefresher refresher, DiagkitProperties properties,
			ObjectProvider<ThreadCpuMetrics> threadCpu, ObjectProvider<LabelActivityMetrics> labelActivity,
			ObjectProvider<NativeMemoryMetrics> nativeMemory, ObjectProvider<CapacitySampler> capacity) {
		this.refresher = refresher;
		this.properties = properties;
		this.threadCpu = threadCpu;
		this.labelActivity = labelActivity;
		this.nativeMemory = nativeMemory;
		this.capacity = capacity;
	}

	@Override
	public void afterSingletonsInstantiated() {
		DiagkitProperties.Metrics metrics = this.properties.getMetrics();
		Set<ProcessThreadTimes> sources = new LinkedHashSet<>();
		this.threadCpu.orderedStream().forEach((binder) -> sources.add(binder.times()));
		for (ProcessThreadTimes times : sources) {
			if (times.available()) {
				this.refresher.schedule("per-thread CPU", metrics.getRefreshInterval(), times::refresh);
			}
		}
		this.labelActivity.orderedStream()
			.forEach((binder) -> this.refresher.schedule("label activity", metrics.getRefreshInterval(),
					binder::refresh));
		this.nativeMemory.orderedStream()
			.filter(NativeMemoryMetrics::enabled)
			.forEach((binder) -> this.refresher.schedule("native memory",
					metrics.getNativeMemory().getRefreshInterval(), binder::refresh));
		this.capacity.orderedStream()
			.forEach((sampler) -> this.refresher.schedule("capacity inputs", sampler.settings().sampleInterval(),
					sampler::sample));
	}

}
