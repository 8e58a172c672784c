package dev.diagkit.autoconfigure;

import java.nio.file.Path;

import dev.diagkit.capacity.CapacitySampler;
import dev.diagkit.endpoint.CapacitySection;
import dev.diagkit.export.LocalProfileStore;
import dev.diagkit.runtime.MetricsRefresher;
import dev.diagkit.runtime.ProcessThreadTimes;
import dev.diagkit.runtime.QueueWaitRecorder;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Auto-configuration of the capacity sampler behind {@code /actuator/diag/capacity}. It
 * samples on the {@code diagkit-metrics} thread, shared with the meters when they are on, and
 * needs neither Micrometer nor the meters.
 */
@AutoConfiguration(after = { DiagkitMetricsAutoConfiguration.class, DiagkitEndpointAutoConfiguration.class })
@ConditionalOnDiagkitEnabled("capacity")
@EnableConfigurationProperties(DiagkitCapacityProperties.class)
@Import(RuntimeSamplingConfiguration.class)
public final class DiagkitCapacityAutoConfiguration {

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	CapacitySampler diagkitCapacitySampler(DiagkitCapacityProperties properties, ProcessThreadTimes threadTimes,
			ObjectProvider<QueueWaitRecorder> queueWaits, ObjectProvider<LocalProfileStore> store) {
		CapacitySampler sampler = new CapacitySampler(properties.toSettings(), threadTimes, queueWaits.getIfUnique());
		Path directory = properties.getStatisticsDirectory();
		if (directory == null) {
			LocalProfileStore profiles = store.getIfAvailable();
			directory = (profiles != null) ? profiles.directory() : null;
		}
		return (directory != null) ? sampler.keepStatisticsIn(directory) : sampler;
	}

	/**
	 * Samples every {@link CapacitySampler} bean, the application's own included, on the
	 * {@code diagkit-metrics} thread once all singletons exist.
	 */
	@Bean
	SmartInitializingSingleton diagkitCapacitySampleSchedule(MetricsRefresher refresher,
			ObjectProvider<CapacitySampler> samplers) {
		return () -> samplers.orderedStream()
			.forEach((sampler) -> refresher.schedule("capacity inputs", sampler.settings().sampleInterval(),
					sampler::sample));
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
	@ConditionalOnDiagkitEnabled({ "metrics", "metrics.capacity" })
	static class VerdictMetersConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "diagkitCapacityVerdictMeters")
		MeterBinder diagkitCapacityVerdictMeters(CapacitySampler sampler) {
			return new CapacityVerdictMeters(sampler);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnDiagEndpoint
	static class DiagSectionConfiguration {

		@Bean
		@ConditionalOnMissingBean
		CapacitySection diagkitCapacitySection(CapacitySampler sampler) {
			return new CapacitySection(sampler);
		}

	}

}
