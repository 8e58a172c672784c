package dev.diagkit.autoconfigure;

import java.util.LinkedHashSet;
import java.util.Set;

import dev.diagkit.labels.LabelPolicy;
import dev.diagkit.labels.LabelRegistry;
import dev.diagkit.metrics.CgroupCpuMetrics;
import dev.diagkit.metrics.ExecutorQueueWaits;
import dev.diagkit.metrics.GcPauseMetrics;
import dev.diagkit.metrics.LabelActivityMetrics;
import dev.diagkit.metrics.NativeMemoryMetrics;
import dev.diagkit.metrics.PressureMetrics;
import dev.diagkit.metrics.ProcessMemoryMetrics;
import dev.diagkit.metrics.SafepointMetrics;
import dev.diagkit.metrics.ThreadCpuMetrics;
import dev.diagkit.metrics.VirtualThreadSchedulerMetrics;
import dev.diagkit.runtime.MetricsRefresher;
import dev.diagkit.runtime.ProcessThreadTimes;
import dev.diagkit.runtime.QueueWaitRecorder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Auto-configuration of diagkit's Micrometer meters: one {@link MeterBinder} bean per
 * capability, each with its own {@code diagkit.metrics.<capability>.enabled} toggle, which
 * Spring Boot binds to the application's meter registry. The binders need a
 * {@link MeterRegistry}.
 */
@AutoConfiguration(after = DiagkitLabelsAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnDiagkitEnabled("metrics")
@EnableConfigurationProperties(DiagkitMetricsProperties.class)
@Import(RuntimeSamplingConfiguration.class)
public final class DiagkitMetricsAutoConfiguration {

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
		@ConditionalOnBooleanProperty(name = "diagkit.metrics.cpu.enabled", matchIfMissing = true)
		CgroupCpuMetrics diagkitCgroupCpuMetrics() {
			return new CgroupCpuMetrics(Tags.empty());
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBooleanProperty(name = "diagkit.metrics.executors.enabled", matchIfMissing = true)
		ExecutorQueueWaits diagkitExecutorQueueWaits(QueueWaitRecorder recorder, DiagkitMetricsProperties properties) {
			return new ExecutorQueueWaits(recorder, properties.getExecutors().getServiceLevelObjectives(),
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
		@ConditionalOnBooleanProperty(name = "diagkit.metrics.gc-pauses.enabled", matchIfMissing = true)
		GcPauseMetrics diagkitGcPauseMetrics() {
			return new GcPauseMetrics(Tags.empty());
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
				DiagkitMetricsProperties properties) {
			return new LabelActivityMetrics(labels, new LinkedHashSet<>(properties.getLabels().getKeys()),
					policy.maxValuesPerKey(), policy.overflowValue(), Tags.empty());
		}

		/**
		 * Puts the meters whose figures are too slow to read in a scrape on the
		 * {@code diagkit-metrics} thread once all singletons exist, whether diagkit or the
		 * application defined them: the per-thread CPU sources of {@link ThreadCpuMetrics}
		 * beans, {@link LabelActivityMetrics}, and {@link NativeMemoryMetrics} when tracking
		 * is on.
		 */
		@Bean
		SmartInitializingSingleton diagkitMeterRefreshSchedule(MetricsRefresher refresher,
				DiagkitMetricsProperties properties, ObjectProvider<ThreadCpuMetrics> threadCpu,
				ObjectProvider<LabelActivityMetrics> labelActivity, ObjectProvider<NativeMemoryMetrics> nativeMemory) {
			return () -> {
				Set<ProcessThreadTimes> sources = new LinkedHashSet<>();
				threadCpu.orderedStream().forEach((binder) -> sources.add(binder.times()));
				sources.stream()
					.filter(ProcessThreadTimes::available)
					.forEach((times) -> refresher.schedule("per-thread CPU", properties.getRefreshInterval(),
							times::refresh));
				labelActivity.orderedStream().forEach((binder) -> {
					refresher.schedule("label activity", properties.getRefreshInterval(), binder::refresh);
					refresher.schedule("busy label time", properties.getLabels().getBusySampleInterval(),
							binder::sampleBusy);
				});
				nativeMemory.orderedStream()
					.filter(NativeMemoryMetrics::enabled)
					.forEach((binder) -> refresher.schedule("native memory",
							properties.getNativeMemory().getRefreshInterval(), binder::refresh));
			};
		}

	}

}
