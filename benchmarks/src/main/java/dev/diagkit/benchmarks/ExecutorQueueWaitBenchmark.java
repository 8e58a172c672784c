package dev.diagkit.benchmarks;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.diagkit.metrics.ExecutorQueueWaits;
import dev.diagkit.runtime.QueueWaitRecorder;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What timing the queue wait adds to each task an executor runs: wrapping at submission and
 * recording at start (into the {@link QueueWaitRecorder} histogram and a Prometheus timer
 * with nine service-level buckets), against running the same task unwrapped (the baseline of
 * the same run). The executor itself is left out: both run the task on the calling thread.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(Scope.Thread)
public class ExecutorQueueWaitBenchmark {

	private QueueWaitRecorder waits;

	private Runnable task;

	@Setup
	public void setUp() {
		this.waits = new QueueWaitRecorder();
		new ExecutorQueueWaits(this.waits, List.of(Duration.ofNanos(100_000), Duration.ofNanos(500_000),
				Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(50),
				Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(1)), Tags.empty())
			.bindTo(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
		this.task = () -> Blackhole.consumeCPU(10);
	}

	@Benchmark
	public void baseline() {
		this.task.run();
	}

	@Benchmark
	public void wrappedAndTimed() {
		this.waits.wrap("applicationTaskExecutor", this.task).run();
	}

}
