package dev.diagkit.autoconfigure;

import java.util.Optional;

import dev.diagkit.endpoint.MemorySection;
import dev.diagkit.memory.AdaptiveHeapController;
import dev.diagkit.memory.Collector;
import dev.diagkit.memory.GcCpuShare;
import dev.diagkit.memory.HeapLever;
import dev.diagkit.memory.HeapTargetMetrics;
import dev.diagkit.memory.HeapTargetPolicy;
import dev.diagkit.memory.MemoryPressureSource;
import dev.diagkit.runtime.CgroupMemory;
import dev.diagkit.runtime.GcActivity;
import dev.diagkit.runtime.ProcessCgroup;
import dev.diagkit.runtime.ProcessThreadTimes;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of the adaptive heap target ({@code diagkit.memory.adaptive.enabled},
 * off by default): the heap target follows memory pressure, through the lever the running
 * collector has. Without a readable pressure source the controller stays stopped and says
 * so; the application is not affected.
 */
@AutoConfiguration(after = DiagkitMetricsAutoConfiguration.class)
@ConditionalOnDiagkitEnabled
@ConditionalOnBooleanProperty("diagkit.memory.adaptive.enabled")
@EnableConfigurationProperties(DiagkitMemoryProperties.class)
public final class DiagkitMemoryAutoConfiguration {

	private static final Log logger = LogFactory.getLog(DiagkitMemoryAutoConfiguration.class);

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean(name = "diagkitHeapGcActivity")
	GcActivity diagkitHeapGcActivity() {
		return new GcActivity();
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	AdaptiveHeapController diagkitAdaptiveHeapController(DiagkitMemoryProperties properties,
			ObjectProvider<ProcessThreadTimes> threadTimes, GcActivity diagkitHeapGcActivity) {
		DiagkitMemoryProperties.Adaptive adaptive = properties.getAdaptive();
		long maxHeap = Runtime.getRuntime().maxMemory();
		Optional<MemoryPressureSource> source = MemoryPressureSource.discover(adaptive.getPressurePath(),
				CgroupMemory.forThisProcess(), ProcessCgroup.PROC_ROOT);
		AdaptiveHeapController controller = new AdaptiveHeapController(
				adaptive.toControllerSettings(maxHeap), new HeapTargetPolicy(adaptive.toPolicySettings()),
				HeapLever.of(Collector.running(), maxHeap, adaptive.getPeriod(), diagkitHeapGcActivity::heapAfterGc),
				source.orElseGet(() -> MemoryPressureSource.of("none", () -> Double.NaN)),
				new GcCpuShare(threadTimes.getIfAvailable(ProcessThreadTimes::forThisProcess),
						adaptive.getPeriod().dividedBy(2)),
				diagkitHeapGcActivity::heapAfterGc);
		if (source.isPresent()) {
			controller.start();
		}
		else {
			logger.warn("The adaptive heap target is off: no memory pressure can be read here ("
					+ ((adaptive.getPressurePath() != null)
							? "diagkit.memory.adaptive.pressure-path " + adaptive.getPressurePath()
									+ " is not a readable PSI file"
							: "no cgroup v2 memory.pressure, no /proc/pressure/memory, no cgroup memory limit")
					+ "); the heap keeps its size");
		}
		return controller;
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnDiagEndpoint
	static class DiagSectionConfiguration {

		@Bean
		@ConditionalOnMissingBean
		MemorySection diagkitMemorySection(AdaptiveHeapController controller, DiagkitMemoryProperties properties) {
			return new MemorySection(controller, Collector.running(), properties.getAdaptive().toPolicySettings());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
	@ConditionalOnDiagkitEnabled("metrics")
	static class HeapTargetMetersConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "diagkitHeapTargetMetrics")
		MeterBinder diagkitHeapTargetMetrics(AdaptiveHeapController controller) {
			return new HeapTargetMetrics(controller, Tags.empty());
		}

	}

}
