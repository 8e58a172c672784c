package dev.diagkit.propagation;

import dev.diagkit.labels.ProfilingLabels;

import org.springframework.core.task.TaskDecorator;

/**
 * Runs each task under exactly the labels its submitter had at submit time, and gives the
 * worker its own labels back afterwards. Spring Boot composes it with the application's
 * other decorators for the executors and schedulers its builders create.
 */
public class LabelPropagatingTaskDecorator implements TaskDecorator {

	@Override
	public Runnable decorate(Runnable runnable) {
		return ProfilingLabels.wrap(runnable);
	}

}
