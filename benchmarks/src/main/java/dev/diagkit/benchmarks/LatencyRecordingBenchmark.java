package dev.diagkit.benchmarks;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import dev.diagkit.runtime.LatencyHistogram;
import org.HdrHistogram.AtomicHistogram;
import org.HdrHistogram.Recorder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What recording one queue wait costs in diagkit's own {@link LatencyHistogram} against
 * HdrHistogram's {@link Recorder} and {@link AtomicHistogram} (two significant digits, as fine
 * as diagkit needs), each shared by every benchmark thread as an executor's histogram is
 * shared by its workers. Run
 * with {@code -t 1} and {@code -t 2} to see contention. {@code baseline} draws the same random
 * duration and records nothing.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(Scope.Benchmark)
public class LatencyRecordingBenchmark {

	private final LatencyHistogram own = new LatencyHistogram();

	private final Recorder hdr = new Recorder(2);

	private final AtomicHistogram hdrAtomic = new AtomicHistogram(1_000, 70_000_000_000L, 2);

	private static long duration() {
		// 1 µs to about 4 ms, as queue waits are
		return 1_000 + ThreadLocalRandom.current().nextLong(4_000_000);
	}

	@Benchmark
	public void baseline(Blackhole blackhole) {
		blackhole.consume(duration());
	}

	@Benchmark
	public void latencyHistogram() {
		this.own.record(duration());
	}

	@Benchmark
	public void hdrRecorder() {
		this.hdr.recordValue(duration());
	}

	@Benchmark
	public void hdrAtomicHistogram() {
		this.hdrAtomic.recordValue(duration());
	}

}
