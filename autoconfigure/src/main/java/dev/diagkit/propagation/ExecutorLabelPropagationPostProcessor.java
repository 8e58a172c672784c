package dev.diagkit.propagation;

import java.lang.System.Logger.Level;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;

import dev.diagkit.labels.ProfilingLabels;
import org.aopalliance.intercept.MethodInterceptor;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.framework.ProxyFactory;
import org.springframework.beans.BeansException;
import org.springframework.beans.ConfigurablePropertyAccessor;
import org.springframework.beans.DirectFieldAccessor;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
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

/**
 * Brings label propagation to executor beans the application builds by hand, where that is
 * safe:
 * <ul>
 * <li>Spring's {@link ThreadPoolTaskExecutor}, {@link ThreadPoolTaskScheduler} and
 * {@link SimpleAsyncTaskExecutor} (and its scheduler subclass) get the decorator if they
 * have no task decorator. Executors built by Spring Boot's
 * builders already carry it; an executor with a decorator of the application's own is left
 * alone.</li>
 * <li>A plain JDK executor bean whose declared type is exactly {@link Executor} or
 * {@link ExecutorService} is wrapped with {@link ProfilingLabels#wrap(Executor)};
 * beans declared with a concrete type are left alone, since a wrapper would break
 * injection by that type.</li>
 * <li>A {@link SimpleAsyncTaskScheduler} (Spring Boot's scheduler with virtual threads) is
 * proxied so that scheduled tasks take the labels of the thread that schedules them.</li>
 * </ul>
 * Anything else can use {@link ProfilingLabels#wrap} directly.
 */
public class ExecutorLabelPropagationPostProcessor implements BeanPostProcessor, BeanFactoryAware, Ordered {

	private static final System.Logger logger = System.getLogger(ExecutorLabelPropagationPostProcessor.class.getName());

	private final TaskDecorator decorator;

	private @Nullable ConfigurableListableBeanFactory beanFactory;

	/**
	 * Creates the post-processor.
	 * @param decorator the decorator to give to undecorated Spring executors
	 */
	public ExecutorLabelPropagationPostProcessor(TaskDecorator decorator) {
		this.decorator = decorator;
	}

	@Override
	public int getOrder() {
		// before post-processors that wrap the decorator set here, such as queue-wait timing
		return Ordered.LOWEST_PRECEDENCE - 100;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		if (beanFactory instanceof ConfigurableListableBeanFactory listable) {
			this.beanFactory = listable;
		}
	}

	@Override
	public Object postProcessBeforeInitialization(Object bean, String beanName) throws BeansException {
		if (bean instanceof ThreadPoolTaskExecutor || bean instanceof ThreadPoolTaskScheduler
				|| bean instanceof SimpleAsyncTaskExecutor) {
			decorate(bean, beanName);
		}
		return bean;
	}

	private void decorate(Object bean, String beanName) {
		ConfigurablePropertyAccessor fields = new DirectFieldAccessor(bean);
		if (fields.getPropertyValue("taskDecorator") != null) {
			logger.log(Level.DEBUG, "Executor ''{0}'' has its own TaskDecorator; not adding label propagation",
					beanName);
			return;
		}
		// these executors read their decorator on every submission, so initialized ones take it too
		fields.setPropertyValue("taskDecorator", this.decorator);
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
		if (bean instanceof SimpleAsyncTaskScheduler scheduler) {
			return labelsAtScheduleTime(scheduler);
		}
		if (bean instanceof Executor executor && !(bean instanceof TaskExecutor) && declaredAsPlainExecutor(beanName)) {
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

}
