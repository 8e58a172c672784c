package dev.diagkit.autoconfigure;

import java.lang.reflect.Field;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;

import dev.diagkit.labels.ProfilingLabels;
import dev.diagkit.runtime.QueueWaitRecorder;
import org.aopalliance.intercept.MethodInterceptor;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.framework.ProxyFactory;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.Ordered;
import org.springframework.core.ResolvableType;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.core.task.TaskDecorator;
import org.springframework.core.task.TaskExecutor;
import org.springframework.scheduling.concurrent.SimpleAsyncTaskScheduler;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.util.ReflectionUtils;

/**
 * Gives Spring executor beans one composed task decorator: label propagation first (for
 * executors the application builds by hand and that have no decorator of their own; those
 * Spring Boot builds already carry it), then queue-wait timing (for task executors, whatever
 * decorator they have). The {@code name} of a queue wait is the bean name, as in the
 * {@code executor.*} metrics Spring Boot registers for the same executors.
 * <ul>
 * <li>{@link ThreadPoolTaskExecutor}, {@link SimpleAsyncTaskExecutor}: labels and timing;
 * {@link ThreadPoolTaskScheduler}: labels only (a scheduled task waits for its trigger, not
 * for a worker).</li>
 * <li>A plain JDK executor bean whose declared type is exactly {@link Executor} or
 * {@link ExecutorService} is wrapped with {@link ProfilingLabels#wrap(Executor)}; beans
 * declared with a concrete type are left alone, since a wrapper would break injection by
 * that type.</li>
 * <li>A {@link SimpleAsyncTaskScheduler} (Spring Boot's scheduler with virtual threads) is
 * proxied so that scheduled tasks take the labels of the thread that schedules them.</li>
 * </ul>
 * Spring offers no getter for an executor's decorator, so it is read from the private
 * {@code taskDecorator} field. Where that field is missing or unreadable (a future Spring
 * version), the executor is left undecorated with one WARN naming it: start-up never fails
 * for it.
 */
class ExecutorDecorationPostProcessor implements BeanPostProcessor, BeanFactoryAware, Ordered {

	/** The private field of Spring's executors that holds their decorator. */
	static final String TASK_DECORATOR_FIELD = "taskDecorator";

	private static final Log logger = LogFactory.getLog(ExecutorDecorationPostProcessor.class);

	private final ObjectProvider<HandBuiltExecutorLabels> labels;

	private final ObjectProvider<QueueWaitRecorder> queueWaits;

	private final String decoratorField;

	private @Nullable ConfigurableListableBeanFactory beanFactory;

	ExecutorDecorationPostProcessor(ObjectProvider<HandBuiltExecutorLabels> labels,
			ObjectProvider<QueueWaitRecorder> queueWaits) {
		this(labels, queueWaits, TASK_DECORATOR_FIELD);
	}

	ExecutorDecorationPostProcessor(ObjectProvider<HandBuiltExecutorLabels> labels,
			ObjectProvider<QueueWaitRecorder> queueWaits, String decoratorField) {
		this.labels = labels;
		this.queueWaits = queueWaits;
		this.decoratorField = decoratorField;
	}

	@Override
	public int getOrder() {
		// after the application's own post-processors, so that a decorator they set is kept
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		if (beanFactory instanceof ConfigurableListableBeanFactory listable) {
			this.beanFactory = listable;
		}
	}

	@Override
	public Object postProcessBeforeInitialization(Object bean, String beanName) {
		boolean taskExecutor = bean instanceof ThreadPoolTaskExecutor
				|| (bean instanceof SimpleAsyncTaskExecutor && !(bean instanceof SimpleAsyncTaskScheduler));
		if (taskExecutor || bean instanceof ThreadPoolTaskScheduler || bean instanceof SimpleAsyncTaskScheduler) {
			decorate(bean, beanName, taskExecutor);
		}
		return bean;
	}

	private void decorate(Object executor, String beanName, boolean taskExecutor) {
		HandBuiltExecutorLabels labels = this.labels.getIfUnique();
		QueueWaitRecorder queueWaits = taskExecutor ? this.queueWaits.getIfUnique() : null;
		if (labels == null && queueWaits == null) {
			return;
		}
		Field field = ReflectionUtils.findField(executor.getClass(), this.decoratorField, TaskDecorator.class);
		if (field == null) {
			logger.warn("Executor '" + beanName + "' (" + executor.getClass().getName() + ") has no field '"
					+ this.decoratorField + "' holding its TaskDecorator; it is left without label propagation "
					+ "and queue-wait timing");
			return;
		}
		try {
			ReflectionUtils.makeAccessible(field);
			TaskDecorator existing = (TaskDecorator) field.get(executor);
			TaskDecorator decorator = existing;
			if (decorator == null && labels != null) {
				decorator = labels.decorator();
			}
			if (queueWaits != null) {
				decorator = new QueueWaitDecorator(queueWaits, beanName, decorator);
			}
			// these executors read their decorator on every submission, so initialized ones take it too
			field.set(executor, decorator);
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			logger.warn("Executor '" + beanName + "' (" + executor.getClass().getName() + ") is left without label "
					+ "propagation and queue-wait timing: its TaskDecorator cannot be read or set (" + ex + ")");
		}
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof SimpleAsyncTaskScheduler scheduler && this.labels.getIfUnique() != null) {
			return labelsAtScheduleTime(scheduler);
		}
		if (bean instanceof Executor executor && !(bean instanceof TaskExecutor) && declaredAsPlainExecutor(beanName)
				&& this.labels.getIfUnique() != null) {
			return ProfilingLabels.wrap(executor);
		}
		return bean;
	}

	/**
	 * A {@link SimpleAsyncTaskScheduler} (what Spring Boot builds with virtual threads) applies
	 * its decorator when a task fires, on its trigger thread, not when it is scheduled: a
	 * subclass proxy binds each scheduled task to the labels of the thread that schedules it.
	 */
	private Object labelsAtScheduleTime(SimpleAsyncTaskScheduler scheduler) {
		ProxyFactory proxy = new ProxyFactory(scheduler);
		proxy.setProxyTargetClass(true);
		proxy.addAdvice((MethodInterceptor) (invocation) -> {
			Object[] arguments = invocation.getArguments();
			if (invocation.getMethod().getName().startsWith("schedule") && arguments.length > 0
					&& arguments[0] instanceof Runnable task) {
				arguments[0] = ProfilingLabels.wrap(task);
			}
			return invocation.proceed();
		});
		return proxy.getProxy(scheduler.getClass().getClassLoader());
	}

	private boolean declaredAsPlainExecutor(String beanName) {
		ConfigurableListableBeanFactory factory = this.beanFactory;
		if (factory == null || !factory.containsBeanDefinition(beanName)) {
			return false;
		}
		ResolvableType declared = factory.getMergedBeanDefinition(beanName).getResolvableType();
		Class<?> type = declared.resolve();
		return type == ExecutorService.class || type == Executor.class;
	}

	/**
	 * Times the queue wait of each task, around whatever decorator the executor had (label
	 * propagation among them).
	 */
	private record QueueWaitDecorator(QueueWaitRecorder queueWaits, String executor,
			@Nullable TaskDecorator delegate) implements TaskDecorator {

		@Override
		public Runnable decorate(Runnable runnable) {
			Runnable decorated = (this.delegate != null) ? this.delegate.decorate(runnable) : runnable;
			return this.queueWaits.wrap(this.executor, decorated);
		}

	}

	/**
	 * Label propagation for executor beans built by hand: present when
	 * {@code diagkit.propagation.executor-beans} is on.
	 *
	 * @param decorator the label-propagating decorator
	 */
	record HandBuiltExecutorLabels(TaskDecorator decorator) {
	}

}
