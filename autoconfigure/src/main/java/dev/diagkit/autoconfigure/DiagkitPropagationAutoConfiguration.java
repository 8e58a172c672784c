package dev.diagkit.autoconfigure;

import dev.diagkit.labels.LabelPolicy;
import dev.diagkit.propagation.ExecutorLabelPropagationPostProcessor;
import dev.diagkit.propagation.LabelPropagatingTaskDecorator;
import dev.diagkit.propagation.ScheduledJobLabels;
import dev.diagkit.propagation.ScheduledJobLabelsConfigurer;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.TaskDecorator;
import org.springframework.scheduling.support.ScheduledTaskObservationContext;

/**
 * Auto-configuration of label propagation: a {@link TaskDecorator} that Spring Boot applies
 * to the executors and schedulers it builds ({@code @Async} included), propagation for
 * executor beans built by hand, and {@code job} labels for {@code @Scheduled} methods.
 */
@AutoConfiguration(after = DiagkitLabelsAutoConfiguration.class,
		before = { TaskExecutionAutoConfiguration.class, TaskSchedulingAutoConfiguration.class })
@ConditionalOnClass(TaskDecorator.class)
@ConditionalOnBooleanProperty(name = "diagkit.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "diagkit.labels.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "diagkit.propagation.enabled", matchIfMissing = true)
@EnableConfigurationProperties(DiagkitProperties.class)
@ConditionalOnBean(LabelPolicy.class)
public final class DiagkitPropagationAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	LabelPropagatingTaskDecorator diagkitLabelPropagatingTaskDecorator() {
		return new LabelPropagatingTaskDecorator();
	}

	@Bean
	@ConditionalOnBooleanProperty(name = "diagkit.propagation.executor-beans", matchIfMissing = true)
	static ExecutorLabelPropagationPostProcessor diagkitExecutorLabelPropagationPostProcessor() {
		return new ExecutorLabelPropagationPostProcessor(new LabelPropagatingTaskDecorator());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ScheduledTaskObservationContext.class)
	@ConditionalOnBooleanProperty(name = "diagkit.propagation.scheduled-jobs", matchIfMissing = true)
	static class ScheduledJobsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ScheduledJobLabels diagkitScheduledJobLabels(ListableBeanFactory beanFactory, LabelPolicy policy,
				DiagkitProperties properties) {
			return new ScheduledJobLabels(new BeanNames(beanFactory), policy,
					properties.getLabels().staticLabelSet());
		}

		@Bean
		ScheduledJobLabelsConfigurer diagkitScheduledJobLabelsConfigurer(ScheduledJobLabels jobLabels) {
			return new ScheduledJobLabelsConfigurer(jobLabels);
		}

	}

}
