package dev.diagkit.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.diagkit.capacity.CapacitySampler;
import dev.diagkit.capacity.CapacitySettings;
import dev.diagkit.labels.LabelSet;
import dev.diagkit.labels.ProfilingLabels;
import dev.diagkit.metrics.ExecutorQueueWaits;
import dev.diagkit.metrics.GcPauseMetrics;
import dev.diagkit.metrics.LabelActivityMetrics;
import dev.diagkit.metrics.NativeMemoryMetrics;
import dev.diagkit.metrics.PressureMetrics;
import dev.diagkit.metrics.ProcessMemoryMetrics;
import dev.diagkit.metrics.SafepointMetrics;
import dev.diagkit.metrics.ThreadCpuMetrics;
import dev.diagkit.metrics.VirtualThreadSchedulerMetrics;
import dev.diagkit.runtime.MetricsRefresher;
import dev.diagkit.runtime.ProcessThreadTimes;
import dev.diagkit.runtime.QueueWaitRecorder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

class DiagkitMetricsAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DiagkitLabelsAutoConfiguration.class,
				DiagkitPropagationAutoConfiguration.class, DiagkitMetricsAutoConfiguration.class,
				DiagkitCapacityAutoConfiguration.class, TaskExecutionAutoConfiguration.class))
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new);

	@Test
	void registersEveryBinderAndTheCapacitySamplerByDefault() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(ThreadCpuMetrics.class)
				.hasSingleBean(ProcessMemoryMetrics.class)
				.hasSingleBean(PressureMetrics.class)
				.hasSingleBean(NativeMemoryMetrics.class)
				.hasSingleBean(ExecutorQueueWaits.class)
				.hasSingleBean(SafepointMetrics.class)
				.hasSingleBean(GcPauseMetrics.class)
				.hasSingleBean(VirtualThreadSchedulerMetrics.class)
				.hasSingleBean(LabelActivityMetrics.class)
				.hasSingleBean(MetricsRefresher.class)
				.hasSingleBean(CapacitySampler.class)
				.hasBean("diagkitCapacityVerdictMeters");
		});
	}

	@Test
	void eachBinderHasItsOwnSwitch() {
		this.contextRunner
			.withPropertyValues("diagkit.metrics.cpu.enabled=false", "diagkit.metrics.memory.enabled=false",
					"diagkit.metrics.pressure.enabled=false", "diagkit.metrics.native-memory.enabled=false",
					"diagkit.metrics.executors.enabled=false", "diagkit.metrics.safepoints.enabled=false",
					"diagkit.metrics.virtual-threads.enabled=false", "diagkit.metrics.labels.enabled=false",
					"diagkit.metrics.capacity.enabled=false", "diagkit.metrics.gc-pauses.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(MeterBinder.class)
				.hasSingleBean(CapacitySampler.class));
	}

	@Test
	void metricsAndCapacityBackOffWhenSwitchedOff() {
		this.contextRunner.withPropertyValues("diagkit.metrics.enabled=false", "diagkit.capacity.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(MeterBinder.class)
				.doesNotHaveBean(CapacitySampler.class)
				.doesNotHaveBean(MetricsRefresher.class));
		this.contextRunner.withPropertyValues("diagkit.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(MeterBinder.class)
				.doesNotHaveBean(CapacitySampler.class));
	}

	@Test
	void capacityWorksWithTheMetricsOff() {
		this.contextRunner.withPropertyValues("diagkit.metrics.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(CapacitySampler.class)
				.hasSingleBean(MetricsRefresher.class)
				.hasSingleBean(QueueWaitRecorder.class)
				.doesNotHaveBean(ExecutorQueueWaits.class)
				.doesNotHaveBean(ThreadCpuMetrics.class));
		this.contextRunner.withPropertyValues("diagkit.metrics.enabled=false", "diagkit.metrics.executors.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(CapacitySampler.class)
				.doesNotHaveBean(QueueWaitRecorder.class));
	}

	@Test
	void bindersNeedAMeterRegistryButQueueWaitsAndCapacityDoNot() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DiagkitLabelsAutoConfiguration.class,
					DiagkitMetricsAutoConfiguration.class, DiagkitCapacityAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(ThreadCpuMetrics.class)
				.doesNotHaveBean(SafepointMetrics.class)
				.doesNotHaveBean(ExecutorQueueWaits.class)
				.hasSingleBean(QueueWaitRecorder.class)
				.hasSingleBean(CapacitySampler.class));
	}

	@Test
	void beansOfTheApplicationAreRefreshedToo() {
		ProcessThreadTimes times = ProcessThreadTimes.forThisProcess();
		assumeThat(times.available()).as("per-thread schedstat (Linux)").isTrue();
		this.contextRunner.withPropertyValues("diagkit.metrics.refresh-interval=50ms")
			.withBean("applicationThreadCpu", ThreadCpuMetrics.class, () -> new ThreadCpuMetrics(times))
			.withBean("applicationSampler", CapacitySampler.class,
					() -> new CapacitySampler(fastCapacity(), times, null))
			.run((context) -> {
				assertThat(context.getBean(ThreadCpuMetrics.class)).isSameAs(context.getBean("applicationThreadCpu"));
				ProcessThreadTimes.Snapshot first = times.latest();
				await().atMost(Duration.ofSeconds(15)).until(() -> times.latest() != first);
				CapacitySampler sampler = context.getBean(CapacitySampler.class);
				await().atMost(Duration.ofSeconds(15)).until(() -> sampler.report().samples() >= 3);
			});
	}

	@Test
	void metersBackOffWithoutMicrometerButCapacityStays() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("io.micrometer.core"))
			.run((context) -> assertThat(context).doesNotHaveBean(ThreadCpuMetrics.class)
				.doesNotHaveBean(ExecutorQueueWaits.class)
				.hasSingleBean(MetricsRefresher.class)
				.hasSingleBean(QueueWaitRecorder.class)
				.hasSingleBean(CapacitySampler.class));
	}

	@Test
	void refresherThreadEndsWithTheContext() {
		this.contextRunner.run((context) -> assertThat(threadNamed("diagkit-metrics")).isTrue());
		assertThat(threadNamed("diagkit-metrics")).isFalse();
	}

	@Test
	void timesQueueWaitOfBootsAndHandBuiltExecutorsAndKeepsLabelPropagation() {
		this.contextRunner.run((context) -> {
			assertLabelledAndTimed(context.getBean("applicationTaskExecutor", AsyncTaskExecutor.class));
			assertThat(context.getBean(QueueWaitRecorder.class).snapshots()).containsOnlyKeys("applicationTaskExecutor");
		});
		this.contextRunner.withUserConfiguration(HandBuiltExecutor.class).run((context) -> {
			assertLabelledAndTimed(context.getBean("reportsTaskExecutor", AsyncTaskExecutor.class));
			QueueWaitRecorder waits = context.getBean(QueueWaitRecorder.class);
			assertThat(waits.snapshots()).containsOnlyKeys("reportsTaskExecutor");
			assertThat(waits.snapshots().get("reportsTaskExecutor").count()).isEqualTo(1);
		});
	}

	private static void assertLabelledAndTimed(AsyncTaskExecutor executor) throws Exception {
		CompletableFuture<LabelSet> seen = new CompletableFuture<>();
		ProfilingLabels.run(LabelSet.of("tenant", "acme"),
				() -> executor.execute(() -> seen.complete(ProfilingLabels.current())));
		assertThat(seen.get(10, TimeUnit.SECONDS)).isEqualTo(LabelSet.of("tenant", "acme"));
	}

	private static boolean threadNamed(String name) {
		return Thread.getAllStackTraces().keySet().stream().anyMatch((thread) -> thread.getName().equals(name));
	}

	@Configuration(proxyBeanMethods = false)
	static class HandBuiltExecutor {

		@Bean
		ThreadPoolTaskExecutor reportsTaskExecutor() {
			ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
			executor.setCorePoolSize(1);
			return executor;
		}

	}

	private static CapacitySettings fastCapacity() {
		DiagkitCapacityProperties properties = new DiagkitCapacityProperties();
		properties.setSampleInterval(Duration.ofMillis(50));
		properties.setWindows(List.of(Duration.ofMinutes(1)));
		return properties.toSettings();
	}

}
