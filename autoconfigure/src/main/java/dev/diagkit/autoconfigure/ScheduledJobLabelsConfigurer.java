package dev.diagkit.autoconfigure;

import dev.diagkit.propagation.ScheduledJobLabels;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.core.Ordered;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * Makes Spring's scheduled-task observations reach {@link ScheduledJobLabels}: when the
 * application set an observation registry for scheduling, the handler joins it; otherwise
 * scheduling gets a registry of its own holding only the handler. Runs after the
 * application's configurers.
 */
class ScheduledJobLabelsConfigurer implements SchedulingConfigurer, Ordered {

	private final ScheduledJobLabels jobLabels;

	/**
	 * Creates the configurer.
	 * @param jobLabels the handler that labels jobs
	 */
	ScheduledJobLabelsConfigurer(ScheduledJobLabels jobLabels) {
		this.jobLabels = jobLabels;
	}

	@Override
	public void configureTasks(ScheduledTaskRegistrar registrar) {
		ObservationRegistry registry = registrar.getObservationRegistry();
		if (registry == null) {
			registry = ObservationRegistry.create();
			registrar.setObservationRegistry(registry);
		}
		registry.observationConfig().observationHandler(this.jobLabels);
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
