package dev.diagkit.autoconfigure;

import dev.diagkit.metrics.MetricsRefresher;
import dev.diagkit.metrics.ProcessThreadTimes;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What the meters and the capacity sampler share, imported by both auto-configurations so
 * that either works without the other: the {@code diagkit-metrics} thread and the per-thread
 * CPU source.
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

}
