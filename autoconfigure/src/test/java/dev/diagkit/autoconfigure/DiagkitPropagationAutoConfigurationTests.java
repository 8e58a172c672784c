package dev.diagkit.autoconfigure;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import dev.diagkit.labels.LabelPolicy;
import dev.diagkit.labels.LabelSet;
import dev.diagkit.labels.ProfilingLabels;
import dev.diagkit.propagation.LabelPropagatingTaskDecorator;
import dev.diagkit.propagation.ScheduledJobLabels;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.core.task.TaskDecorator;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.scheduling.concurrent.SimpleAsyncTaskScheduler;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.support.ScheduledTaskObservationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class DiagkitPropagationAutoConfigurationTests {

	private static final LabelSet ACME = LabelSet.of("tenant", "acme");

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DiagkitLabelsAutoConfiguration.class,
				DiagkitPropagationAutoConfiguration.class, TaskExecutionAutoConfiguration.class,
				TaskSchedulingAutoConfiguration.class));

	@Test
	void bootsApplicationTaskExecutorRunsTasksUnderTheSubmitterLabels() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(LabelPropagatingTaskDecorator.class);
			AsyncTaskExecutor executor = context.getBean("applicationTaskExecutor", AsyncTaskExecutor.class);
			assertThat(labelsSeenBy(executor)).isEqualTo(ACME);
		});
	}

	@Test
	void bootsTaskSchedulerRunsTasksUnderTheSubmitterLabels() {
		this.contextRunner.withUserConfiguration(ScheduledJob.class).run((context) -> {
			TaskScheduler scheduler = context.getBean("taskScheduler", TaskScheduler.class);
			CompletableFuture<LabelSet> seen = new CompletableFuture<>();
			ProfilingLabels.run(ACME, () -> scheduler.schedule(() -> seen.complete(ProfilingLabels.current()),
					Instant.now().plusMillis(10)));
			assertThat(seen.get(5, TimeUnit.SECONDS)).isEqualTo(ACME);
		});
	}

	@Test
	void simpleAsyncTaskSchedulerRunsTasksUnderTheLabelsOfWhoeverScheduledThem() {
		this.contextRunner.withUserConfiguration(VirtualStyleScheduler.class).run((context) -> {
			TaskScheduler scheduler = context.getBean("simpleScheduler", TaskScheduler.class);
			assertThat(scheduler).isInstanceOf(SimpleAsyncTaskScheduler.class);
			for (String tenant : new String[] { "acme", "globex", "initech" }) {
				LabelSet labels = LabelSet.of("tenant", tenant);
				CompletableFuture<LabelSet> seen = new CompletableFuture<>();
				ProfilingLabels.run(labels, () -> scheduler.schedule(() -> seen.complete(ProfilingLabels.current()),
						Instant.now().plusMillis(10)));
				assertThat(seen.get(5, TimeUnit.SECONDS)).as("scheduled by " + tenant).isEqualTo(labels);
			}
		});
	}

	@Test
	void reactiveScheduledMethodsKeepRunning() {
		this.contextRunner.withUserConfiguration(ReactiveJob.class).run((context) -> {
			ReactiveJob job = context.getBean(ReactiveJob.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> job.runs.get() >= 5);
			// its observation starts on the scheduler thread and stops on a Reactor thread: the
			// labels must not break it (reactive jobs carry the job label only where Reactor
			// restores the observation's scope, with automatic context propagation)
			assertThat(job.runs.get()).isGreaterThanOrEqualTo(5);
			assertThat(job.seen).allSatisfy((labels) -> assertThat(labels).doesNotContainKey("tenant"));
		});
	}

	@Test
	void labelsSwitchedOffTurnsPropagationOffEvenWithAUserPolicy() {
		this.contextRunner.withPropertyValues("diagkit.labels.enabled=false")
			.withBean(LabelPolicy.class, LabelPolicy::defaults)
			.withUserConfiguration(ScheduledJob.class)
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(LabelPropagatingTaskDecorator.class)
				.doesNotHaveBean(ScheduledJobLabels.class));
	}

	@Test
	void handBuiltSpringExecutorGetsTheDecorator() {
		this.contextRunner.withUserConfiguration(HandBuiltExecutors.class).run((context) -> {
			assertThat(labelsSeenBy(context.getBean("handBuilt", AsyncTaskExecutor.class))).isEqualTo(ACME);
			assertThat(labelsSeenBy(context.getBean("initializedByHand", AsyncTaskExecutor.class)))
				.as("an executor initialized in its @Bean method")
				.isEqualTo(ACME);
			assertThat(labelsSeenBy(context.getBean("ownDecorator", AsyncTaskExecutor.class)))
				.as("the application's own decorator is left alone")
				.isEqualTo(LabelSet.of("decorated", "by-app"));
		});
	}

	@Test
	void plainExecutorServiceDeclaredAsInterfaceIsWrappedButConcreteTypesAreLeftAlone() {
		this.contextRunner.withUserConfiguration(JdkExecutors.class).run((context) -> {
			ExecutorService declaredAsInterface = context.getBean("declaredAsInterface", ExecutorService.class);
			LabelSet seen = ProfilingLabels.call(ACME, () -> declaredAsInterface.submit(ProfilingLabels::current).get());
			assertThat(seen).isEqualTo(ACME);
			assertThat(context.getBean("declaredAsPool")).isInstanceOf(ThreadPoolExecutor.class);
		});
	}

	@Test
	void scheduledMethodsRunUnderTheirJobLabel() {
		this.contextRunner.withUserConfiguration(ScheduledJob.class)
			.withPropertyValues("diagkit.labels.static-labels.env=test")
			.run((context) -> {
				ScheduledJob job = context.getBean(ScheduledJob.class);
				await().atMost(Duration.ofSeconds(10)).until(() -> !job.seen.isEmpty());
				assertThat(job.seen.get(0)).isEqualTo(LabelSet.of("env", "test", "job", "reconciler.reconcile"));
			});
	}

	@Test
	void scheduledJobLabelsBackOffWithoutSchedulingObservations() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(ScheduledTaskObservationContext.class))
			.run((context) -> assertThat(context).hasSingleBean(LabelPropagatingTaskDecorator.class)
				.doesNotHaveBean(ScheduledJobLabels.class));
		this.contextRunner.withPropertyValues("diagkit.propagation.scheduled-jobs=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ScheduledJobLabels.class));
	}

	@Test
	void backsOffWhenDisabledOrWithoutTaskDecorator() {
		this.contextRunner.withPropertyValues("diagkit.propagation.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(LabelPropagatingTaskDecorator.class)
				.doesNotHaveBean(ExecutorDecorationPostProcessor.class));
		this.contextRunner.withPropertyValues("diagkit.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(LabelPropagatingTaskDecorator.class));
		this.contextRunner.withPropertyValues("diagkit.labels.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(LabelPropagatingTaskDecorator.class));
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DiagkitLabelsAutoConfiguration.class,
					DiagkitPropagationAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader(TaskDecorator.class))
			.run((context) -> assertThat(context).doesNotHaveBean(LabelPropagatingTaskDecorator.class));
		this.contextRunner.withPropertyValues("diagkit.propagation.executor-beans=false")
			.run((context) -> assertThat(context).hasSingleBean(LabelPropagatingTaskDecorator.class)
				.doesNotHaveBean(ExecutorDecorationPostProcessor.HandBuiltExecutorLabels.class));
	}

	@Test
	void userDecoratorWins() {
		this.contextRunner.withUserConfiguration(UserDecorator.class).run((context) -> {
			assertThat(context).hasSingleBean(LabelPropagatingTaskDecorator.class);
			assertThat(context.getBean(LabelPropagatingTaskDecorator.class))
				.isSameAs(context.getBean(UserDecorator.class).decorator);
		});
	}

	private static LabelSet labelsSeenBy(AsyncTaskExecutor executor) throws Exception {
		return ProfilingLabels.call(ACME, () -> executor.submit(ProfilingLabels::current).get(5, TimeUnit.SECONDS));
	}

	@Configuration(proxyBeanMethods = false)
	static class HandBuiltExecutors {

		@Bean
		ThreadPoolTaskExecutor handBuilt() {
			ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
			executor.setThreadNamePrefix("hand-built-");
			return executor;
		}

		@Bean
		ThreadPoolTaskExecutor initializedByHand() {
			ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
			executor.setThreadNamePrefix("initialized-");
			executor.initialize();
			// created before any labels, so its worker has none to inherit
			executor.submit(() -> null);
			return executor;
		}

		@Bean
		ThreadPoolTaskExecutor ownDecorator() {
			ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
			executor.setTaskDecorator((task) -> ProfilingLabels.wrap(LabelSet.of("decorated", "by-app"), task));
			return executor;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class JdkExecutors {

		@Bean(destroyMethod = "shutdownNow")
		ExecutorService declaredAsInterface() {
			return Executors.newSingleThreadExecutor();
		}

		@Bean(destroyMethod = "shutdownNow")
		ThreadPoolExecutor declaredAsPool() {
			return new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableScheduling
	static class ScheduledJob {

		final List<LabelSet> seen = new CopyOnWriteArrayList<>();

		@Bean
		Reconciler reconciler() {
			return new Reconciler(this.seen);
		}

	}

	static class Reconciler {

		private final List<LabelSet> seen;

		Reconciler(List<LabelSet> seen) {
			this.seen = seen;
		}

		@Scheduled(fixedDelay = 50)
		void reconcile() {
			this.seen.add(ProfilingLabels.current());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserDecorator {

		final LabelPropagatingTaskDecorator decorator = new LabelPropagatingTaskDecorator();

		@Bean
		LabelPropagatingTaskDecorator userLabelDecorator() {
			return this.decorator;
		}

	}


	@Configuration(proxyBeanMethods = false)
	static class VirtualStyleScheduler {

		@Bean
		SimpleAsyncTaskScheduler simpleScheduler() {
			return new SimpleAsyncTaskScheduler();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableScheduling
	static class ReactiveJob {

		final java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();

		final List<java.util.Map<String, String>> seen = new CopyOnWriteArrayList<>();

		@Scheduled(fixedDelay = 10)
		reactor.core.publisher.Mono<Void> tick() {
			// Spring subscribes on every run, inside the observation's scope
			return reactor.core.publisher.Mono.defer(() -> {
				this.seen.add(ProfilingLabels.current().asMap());
				return reactor.core.publisher.Mono.delay(java.time.Duration.ofMillis(5));
			}).doOnNext((tick) -> this.runs.incrementAndGet()).then();
		}

	}

}
