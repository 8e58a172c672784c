package dev.diagkit.autoconfigure;

import java.util.LinkedHashSet;

import dev.diagkit.labels.LabelPolicy;
import dev.diagkit.labels.LabelRegistry;
import dev.diagkit.metrics.ExecutorQueueWaits;
import dev.diagkit.metrics.LabelActivityMetrics;
import dev.diagkit.metrics.NativeMemoryMetrics;
import dev.diagkit.metrics.PressureMetrics;
import dev.diagkit.metrics.ProcessMemoryMetrics;
import dev.diagkit.metrics.SafepointMetrics;
import dev.diagkit.metrics.ThreadCpuMetrics;
import dev.diagkit.metrics.VirtualThreadSchedulerMetrics;
import dev.diagkit.runtime.ProcessThreadTimes;
import dev.diagkit.runtime.QueueWaitRecorder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * Auto-configuration of diagkit's Micrometer meters: one {@link MeterBinder} bean per
 * capability, each with its own {@code diagkit.metrics.<capability>.enabled} toggle, which
 * Spring Boot binds to the application's meter registry. The binders need a
 * {@link MeterRegistry}; executor queue-wait timing does not, since the capacity report reads
 * it too.
 */
@AutoConfiguration(after = DiagkitLabelsAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBooleanProperty(name = "diagkit.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "diagkit.metrics.enabled", matchIfMissing = true)
@EnableConfigurationProperties(DiagkitProperties.class)
@Import(RuntimeSamplingConfiguration.class)
public final class DiagkitMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "diagkit.metrics.executors.enabled", matchIfMissing = true)
	QueueWaitRecorder diagkitQueueWaitRecorder() {
		return new QueueWaitRecorder();
	}

	@Bean
	@ConditionalOnClass(ThreadPoolTaskExecutor.class)
	@ConditionalOnBooleanProperty(name = "diagkit.metrics.executors.enabled", matchIfMissing = true)
	static ExecutorQueueWaitPostProcessor diagkitExecutorQueueWaitPostProcessor(
			ObjectProvider<QueueWaitRecorder> queueWaits) {
		return new ExecutorQueueWaitPostProcessor(queueWaits);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(MeterRegistry.class)
	static class MeterBinders {

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBooleanProperty(name = "diagkit.metrics.cpu.enabled", matchIfMissing = true)
		ThreadCpuMetrics diagkitThreadCpuMetrics(ProcessThreadTimes times) {
			return new ThreadCpuMetrics(times);
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBooleanProperty(name = "diagkit.metrics.executors.enabled", matchIfMissing = true)
		ExecutorQueueWaits diagkitExecutorQueueWaits(QueueWaitRecorder recorder, DiagkitProperties properties) {
			return new ExecutorQueueWaits(recorder, properties.getMetrics().getExecutors().getServiceLevelObjectives(),
					Tags.empty());
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBooleanProperty(name = "diagkit.metrics.memory.enabled", matchIfMissing = true)
		ProcessMemoryMetrics diagkitProcessMemoryMetrics() {
			return new ProcessMemoryMetrics();
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBooleanProperty(name = "diagkit.metrics.pressure.enabled", matchIfMissing = true)
		PressureMetrics diagkitPressureMetrics() {
			return new PressureMetrics();
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBooleanProperty(name = "diagkit.metrics.native-memory.enabled", matchIfMissing = true)
		NativeMemoryMetrics diagkitNativeMemoryMetrics() {
			return new NativeMemoryMetrics();
		}

		@Bean(destroyMethod = "close")
		@ConditionalOnMissingBean
		@ConditionalOnClass(name = "jdk.jfr.consumer.RecordingStream")
		@ConditionalOnBooleanProperty(name = "diagkit.metrics.safepoints.enabled", matchIfMissing = true)
		SafepointMetrics diagkitSafepointMetrics() {
			return new SafepointMetrics(Tags.empty());
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBooleanProperty(name = "diagkit.metrics.virtual-threads.enabled", matchIfMissing = true)
		VirtualThreadSchedulerMetrics diagkitVirtualThreadSchedulerMetrics() {
			return new VirtualThreadSchedulerMetrics();
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBean({ LabelRegistry.class, LabelPolicy.class })
		@ConditionalOnBooleanProperty(name = "diagkit.metrics.labels.enabled", matchIfMissing = true)
		LabelActivityMetrics diagkitLabelActivityMetrics(LabelRegistry labels, LabelPolicy policy,
				DiagkitProperties properties) {
			return new LabelActivityMetrics(labels, new LinkedHashSet<>(properties.getMetrics().getLabels().getKeys()),
					policy.maxValuesPerKey(), policy.overflowValue(), Tags.empty());
		}

	}

}
