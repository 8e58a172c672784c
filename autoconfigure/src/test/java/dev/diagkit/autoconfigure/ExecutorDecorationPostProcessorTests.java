package dev.diagkit.autoconfigure;

import java.lang.reflect.Field;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.diagkit.autoconfigure.ExecutorDecorationPostProcessor.HandBuiltExecutorLabels;
import dev.diagkit.labels.LabelSet;
import dev.diagkit.labels.ProfilingLabels;
import dev.diagkit.propagation.LabelPropagatingTaskDecorator;
import dev.diagkit.runtime.QueueWaitRecorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.core.task.TaskDecorator;
import org.springframework.scheduling.concurrent.SimpleAsyncTaskScheduler;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.util.ReflectionUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one post-processor that decorates executor beans: it reads Spring's private
 * {@code taskDecorator} field, composes label propagation and queue-wait timing, and never
 * fails start-up when that field is gone.
 */
@ExtendWith(OutputCaptureExtension.class)
class ExecutorDecorationPostProcessorTests {

	/**
	 * Pins the private field diagkit reads on every executor type it decorates: a Spring
	 * upgrade that renames it fails this build, not a user's start-up.
	 */
	@Test
	void springExecutorsKeepTheirDecoratorInTheFieldDiagkitReads() throws Exception {
		TaskDecorator decorator = (task) -> task;
		ThreadPoolTaskExecutor pool = new ThreadPoolTaskExecutor();
		pool.setTaskDecorator(decorator);
		ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
		scheduler.setTaskDecorator(decorator);
		SimpleAsyncTaskExecutor simple = new SimpleAsyncTaskExecutor();
		simple.setTaskDecorator(decorator);
		SimpleAsyncTaskScheduler simpleScheduler = new SimpleAsyncTaskScheduler();
		simpleScheduler.setTaskDecorator(decorator);
		for (Object executor : List.of(pool, scheduler, simple, simpleScheduler)) {
			Field field = ReflectionUtils.findField(executor.getClass(),
					ExecutorDecorationPostProcessor.TASK_DECORATOR_FIELD, TaskDecorator.class);
			assertThat(field).as(executor.getClass().getName()).isNotNull();
			ReflectionUtils.makeAccessible(field);
			assertThat(field.get(executor)).as(executor.getClass().getName()).isSameAs(decorator);
		}
	}

	@Test
	void labelsFirstThenQueueWaitTimingInOneDecorator() throws Exception {
		QueueWaitRecorder queueWaits = new QueueWaitRecorder();
		List<LabelSet> labelsWhenTimed = new CopyOnWriteArrayList<>();
		queueWaits.observe((executor) -> (nanos) -> labelsWhenTimed.add(ProfilingLabels.current()));
		ThreadPoolTaskExecutor pool = new ThreadPoolTaskExecutor();
		processor(queueWaits, ExecutorDecorationPostProcessor.TASK_DECORATOR_FIELD)
			.postProcessBeforeInitialization(pool, "reportsTaskExecutor");
		pool.setPrestartAllCoreThreads(true);
		pool.initialize();
		try {
			LabelSet acme = LabelSet.of("tenant", "acme");
			LabelSet seen = ProfilingLabels.call(acme,
					() -> pool.submitCompletable(ProfilingLabels::current).get(10, TimeUnit.SECONDS));
			assertThat(seen).isEqualTo(acme);
			assertThat(queueWaits.snapshots()).containsOnlyKeys("reportsTaskExecutor");
			assertThat(queueWaits.snapshots().get("reportsTaskExecutor").count()).isEqualTo(1);
			// timing wraps label propagation: the wait is taken as the worker picks the task up,
			// before the task takes its submitter's labels
			assertThat(labelsWhenTimed).singleElement().isNotEqualTo(acme);
		}
		finally {
			pool.shutdown();
		}
	}

	@Test
	void anExecutorWhoseFieldIsMissingIsLeftUndecoratedWithAWarning(CapturedOutput output) throws Exception {
		QueueWaitRecorder queueWaits = new QueueWaitRecorder();
		ThreadPoolTaskExecutor pool = new ThreadPoolTaskExecutor();
		Object processed = processor(queueWaits, "renamedByAFutureSpring").postProcessBeforeInitialization(pool,
				"reportsTaskExecutor");
		assertThat(processed).isSameAs(pool);
		// a worker started by a labelled thread would inherit its labels without any decorator
		pool.setPrestartAllCoreThreads(true);
		pool.initialize();
		try {
			CompletableFuture<LabelSet> seen = ProfilingLabels.call(LabelSet.of("tenant", "acme"),
					() -> pool.submitCompletable(ProfilingLabels::current));
			assertThat(seen.get(10, TimeUnit.SECONDS)).isEqualTo(LabelSet.empty());
			assertThat(queueWaits.snapshots()).isEmpty();
		}
		finally {
			pool.shutdown();
		}
		assertThat(output).contains("Executor 'reportsTaskExecutor' (" + ThreadPoolTaskExecutor.class.getName()
				+ ") has no field 'renamedByAFutureSpring' holding its TaskDecorator");
	}

	private static ExecutorDecorationPostProcessor processor(QueueWaitRecorder queueWaits, String field) {
		DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
		beans.registerSingleton("labels", new HandBuiltExecutorLabels(new LabelPropagatingTaskDecorator()));
		beans.registerSingleton("queueWaits", queueWaits);
		ObjectProvider<HandBuiltExecutorLabels> labels = beans.getBeanProvider(HandBuiltExecutorLabels.class);
		return new ExecutorDecorationPostProcessor(labels, beans.getBeanProvider(QueueWaitRecorder.class), field);
	}

}
