package dev.diagkit.autoconfigure;

import dev.diagkit.runtime.MetricsRefresher;
import dev.diagkit.runtime.ProcessThreadTimes;
import dev.diagkit.runtime.QueueWaitRecorder;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * What the meters and the capacity sampler share, imported by both auto-configurations so
 * that either works without the other: the {@code diagkit-metrics} thread, the per-thread
 * CPU source, and executor queue-wait timing.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DiagkitMetricsProperties.class)
@Import(ExecutorDecorationConfiguration.class)
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
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "diagkit.metrics.executors.enabled", matchIfMissing = true)
	static QueueWaitRecorder diagkitQueueWaitRecorder() {
		return new QueueWaitRecorder();
	}

}
