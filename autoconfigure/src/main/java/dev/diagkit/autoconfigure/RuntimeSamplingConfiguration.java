package dev.diagkit.autoconfigure;

import dev.diagkit.capacity.CapacitySampler;
import dev.diagkit.metrics.LabelActivityMetrics;
import dev.diagkit.metrics.NativeMemoryMetrics;
import dev.diagkit.metrics.ThreadCpuMetrics;
import dev.diagkit.runtime.MetricsRefresher;
import dev.diagkit.runtime.ProcessThreadTimes;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What the meters and the capacity sampler share, imported by both auto-configurations so
 * that either works without the other: the {@code diagkit-metrics} thread, the per-thread
 * CPU source, and the schedule that refreshes them.
 */
@Configuration(proxyBeanMethods = false)
class RuntimeSamplingConfiguration {

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	MetricsRefresher diagkitMetricsRefresher() {
		return new MetricsRefresher();
	}

	@Bean
	@ConditionalOnMissingBean
	ProcessThreadTimes diagkitProcessThreadTimes() {
		return ProcessThreadTimes.forThisProcess();
	}

	@Bean
	RuntimeRefreshSchedule diagkitRuntimeRefreshSchedule(MetricsRefresher refresher, DiagkitProperties properties,
			ObjectProvider<ThreadCpuMetrics> threadCpu, ObjectProvider<LabelActivityMetrics> labelActivity,
			ObjectProvider<NativeMemoryMetrics> nativeMemory, ObjectProvider<CapacitySampler> capacity) {
		return new RuntimeRefreshSchedule(refresher, properties, threadCpu, labelActivity, nativeMemory, capacity);
	}

}
