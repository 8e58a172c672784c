package dev.diagkit.autoconfigure;

import dev.diagkit.runtime.QueueWaitRecorder;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.BeansException;
import org.springframework.beans.DirectFieldAccessor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.core.task.TaskDecorator;
import org.springframework.scheduling.concurrent.SimpleAsyncTaskScheduler;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * Measures the queue wait of Spring task executor beans ({@link ThreadPoolTaskExecutor},
 * {@link SimpleAsyncTaskExecutor}; Spring Boot's {@code applicationTaskExecutor} among them)
 * by putting a timing decorator around whatever task decorator they have. It runs after label
 * propagation has given undecorated executors theirs. Schedulers are left out: their tasks
 * wait for a trigger, not for a worker.
 * <p>
 * The {@code name} tag is the bean name, as in the {@code executor.*} metrics Spring Boot
 * registers for the same executors, so the two can be joined.
 */
class ExecutorQueueWaitPostProcessor implements BeanPostProcessor, Ordered {

	private final ObjectProvider<QueueWaitRecorder> queueWaits;

	ExecutorQueueWaitPostProcessor(ObjectProvider<QueueWaitRecorder> queueWaits) {
		this.queueWaits = queueWaits;
	}

	@Override
	public Object postProcessBeforeInitialization(Object bean, String beanName) throws BeansException {
		boolean executor = bean instanceof ThreadPoolTaskExecutor
				|| (bean instanceof SimpleAsyncTaskExecutor && !(bean instanceof SimpleAsyncTaskScheduler));
		if (executor) {
			QueueWaitRecorder waits = this.queueWaits.getIfUnique();
			if (waits != null) {
				DirectFieldAccessor fields = new DirectFieldAccessor(bean);
				TaskDecorator existing = (TaskDecorator) fields.getPropertyValue("taskDecorator");
				fields.setPropertyValue("taskDecorator", new QueueWaitDecorator(waits, beanName, existing));
			}
		}
		return bean;
	}

	@Override
	public int getOrder() {
		// after ExecutorLabelPropagationPostProcessor, so that its decorator is the one wrapped
		return Ordered.LOWEST_PRECEDENCE;
	}

	private record QueueWaitDecorator(QueueWaitRecorder waits, String executor,
			@Nullable TaskDecorator delegate) implements TaskDecorator {

		@Override
		public Runnable decorate(Runnable runnable) {
			Runnable decorated = (this.delegate != null) ? this.delegate.decorate(runnable) : runnable;
			return this.waits.wrap(this.executor, decorated);
		}

	}

}
