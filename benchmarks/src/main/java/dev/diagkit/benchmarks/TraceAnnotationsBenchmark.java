package dev.diagkit.benchmarks;

import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.diagkit.trace.DiagTask;
import dev.diagkit.trace.DiagTrace;
import jdk.jfr.Recording;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Cost of {@link DiagTrace} regions, tasks and logs around the same work as the baseline of
 * the same run: with no recording ({@code recording=off}), and while a JFR recording writes
 * every one of them ({@code recording=on}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(Scope.Thread)
public class TraceAnnotationsBenchmark {

	/** Whether a recording wants diagkit's trace events while measuring. */
	@Param({ "off", "on" })
	public String recording;

	private Blackhole blackhole;

	private Recording jfr;

	private final Runnable work = () -> this.blackhole.consume(42);

	@Setup
	public void setUp(Blackhole blackhole) {
		this.blackhole = blackhole;
		if ("on".equals(this.recording)) {
			this.jfr = new Recording();
			for (String event : List.of("diagkit.Task", "diagkit.Region", "diagkit.Log")) {
				this.jfr.enable(event);
			}
			// bounded on disk: millions of events a second are written
			this.jfr.setMaxSize(64L * 1024 * 1024);
			this.jfr.start();
		}
	}

	@TearDown
	public void tearDown() {
		if (this.jfr != null) {
			this.jfr.close();
		}
	}

	@Benchmark
	public void baseline() {
		this.work.run();
	}

	@Benchmark
	public void region() {
		DiagTrace.region("price", this.work);
	}

	@Benchmark
	public void task() {
		try (DiagTask task = DiagTrace.task("checkout")) {
			this.work.run();
		}
	}

	@Benchmark
	public void log() {
		DiagTrace.log("payment", "card declined");
		this.work.run();
	}

}
