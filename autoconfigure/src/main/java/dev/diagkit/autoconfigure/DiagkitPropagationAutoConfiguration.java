package dev.diagkit.autoconfigure;

import dev.diagkit.autoconfigure.ExecutorDecorationPostProcessor.HandBuiltExecutorLabels;
import dev.diagkit.labels.LabelPolicy;
import dev.diagkit.propagation.LabelPropagatingTaskDecorator;
import dev.diagkit.propagation.ScheduledJobLabels;

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
import org.springframework.context.annotation.Import;
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
@ConditionalOnDiagkitEnabled({ "labels", "propagation" })
@ConditionalOnBean(LabelPolicy.class)
@EnableConfigurationProperties(DiagkitLabelsProperties.class)
@Import(ExecutorDecorationConfiguration.class)
public final class DiagkitPropagationAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	LabelPropagatingTaskDecorator diagkitLabelPropagatingTaskDecorator() {
		return new LabelPropagatingTaskDecorator();
	}

	@Bean
	@ConditionalOnBooleanProperty(name = "diagkit.propagation.executor-beans", matchIfMissing = true)
	static HandBuiltExecutorLabels diagkitHandBuiltExecutorLabels() {
		return new HandBuiltExecutorLabels(new LabelPropagatingTaskDecorator());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ScheduledTaskObservationContext.class)
	@ConditionalOnBooleanProperty(name = "diagkit.propagation.scheduled-jobs", matchIfMissing = true)
	static class ScheduledJobsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ScheduledJobLabels diagkitScheduledJobLabels(ListableBeanFactory beanFactory, LabelPolicy policy,
				DiagkitLabelsProperties properties) {
			return new ScheduledJobLabels(new BeanNames(beanFactory), policy, properties.staticLabelSet());
		}

		@Bean
		ScheduledJobLabelsConfigurer diagkitScheduledJobLabelsConfigurer(ScheduledJobLabels jobLabels) {
			return new ScheduledJobLabelsConfigurer(jobLabels);
		}

	}

}
