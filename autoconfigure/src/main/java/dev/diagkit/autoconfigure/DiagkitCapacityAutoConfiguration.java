package dev.diagkit.autoconfigure;

import dev.diagkit.capacity.CapacitySampler;
import dev.diagkit.capacity.CapacitySettings;
import dev.diagkit.runtime.ProcessThreadTimes;
import dev.diagkit.runtime.QueueWaitRecorder;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * Auto-configuration of the capacity sampler behind {@code /actuator/diag/capacity}. It
 * samples on the {@code diagkit-metrics} thread, shared with the meters when they are on.
 */
@AutoConfiguration(after = DiagkitMetricsAutoConfiguration.class)
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBooleanProperty(name = "diagkit.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "diagkit.capacity.enabled", matchIfMissing = true)
@EnableConfigurationProperties(DiagkitProperties.class)
@Import(RuntimeSamplingConfiguration.class)
public final class DiagkitCapacityAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	CapacitySettings diagkitCapacitySettings(DiagkitProperties properties) {
		DiagkitProperties.Capacity capacity = properties.getCapacity();
		return new CapacitySettings(capacity.getSampleInterval(), capacity.getWindows(),
				capacity.getCpu().getGcShareWarn(), capacity.getCpu().getGcShareCritical(),
				capacity.getMemory().getHeadroom(), capacity.getThreads().getHeadroom(),
				capacity.getThreads().getLimit(), capacity.getLatency().getQueueWaitTarget(),
				capacity.getLatency().getRunQueueWaitWarn(), capacity.getGc().getPauseTarget());
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	CapacitySampler diagkitCapacitySampler(CapacitySettings settings, ProcessThreadTimes threadTimes,
			ObjectProvider<QueueWaitRecorder> queueWaits) {
		return new CapacitySampler(settings, threadTimes, queueWaits.getIfUnique());
	}

}
