package dev.diagkit.benchmarks;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.diagkit.labels.LabelRegistry;
import dev.diagkit.labels.LabelSet;
import dev.diagkit.labels.LabelTimelines;
import dev.diagkit.labels.ProfilingLabels;
import dev.diagkit.labels.spi.LabelScopes;
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
 * Cost of entering and leaving label scopes with pre-built label sets, against the same work
 * run without labels (the baseline of the same run); {@code profiling=on} measures them while
 * a profiler records label changes ({@link LabelTimelines} open).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(Scope.Thread)
public class ProfilingLabelsBenchmark {

	private static final LabelSet TENANT = LabelSet.of("tenant", "acme", "endpoint", "GET /orders/{id}");

	private static final LabelSet JOB = LabelSet.of("job", "invoice");

	private Blackhole blackhole;

	private LabelRegistry registry;

	private LabelTimelines timelines;

	private static final LabelSet SPAN = LabelSet.of("span_id", "85280c6013a41af8", "trace_id",
			"9a8c9a676f9fa0decf10428c6ab434c1", "span_name", "http.server.requests");

	private static final LabelSet CHILD_SPAN = LabelSet.of("span_id", "35dde3b188a08ccd", "trace_id",
			"9a8c9a676f9fa0decf10428c6ab434c1");

	/** Whether label changes are recorded for a profiler while measuring. */
	@Param({ "off", "on" })
	public String profiling;

	/**
	 * Whether a tracing span is current on the thread ({@code span}: its labels lie over the
	 * thread's own, as diagkit's tracing integration sets them), or not ({@code none}).
	 */
	@Param({ "none", "span" })
	public String tracing;

	private final Runnable work = () -> this.blackhole.consume(42);

	private final Runnable labelledWork = () -> ProfilingLabels.run(JOB, this.work);

	@Setup
	public void openRegistry() {
		// as in an application: the registry keeps the label clock running
		this.registry = new LabelRegistry(Duration.ofMinutes(10));
		if ("on".equals(this.profiling)) {
			this.timelines = LabelTimelines.start();
		}
		for (int i = 0; i < this.spans.length; i++) {
			this.spans[i] = LabelSet.of("span_id", String.format("%016x", i), "trace_id",
					String.format("%032x", i), "span_name", "http.server.requests");
		}
		if ("span".equals(this.tracing)) {
			LabelScopes.swapSpan(SPAN);
		}
	}

	@TearDown
	public void closeRegistry() {
		LabelScopes.swapSpan(LabelSet.empty());
		if (this.timelines != null) {
			this.timelines.close();
		}
		this.registry.close();
	}

	@Benchmark
	public void baseline(Blackhole bh) {
		this.blackhole = bh;
		this.work.run();
	}

	@Benchmark
	public void run(Blackhole bh) {
		this.blackhole = bh;
		ProfilingLabels.run(TENANT, this.work);
	}

	@Benchmark
	public void runNestedTwoLevels(Blackhole bh) {
		this.blackhole = bh;
		ProfilingLabels.run(TENANT, this.labelledWork);
	}

	/** Label sets of distinct spans, one per request in {@link #newSpanThenRun}. */
	private final LabelSet[] spans = new LabelSet[4096];

	private int nextSpan;

	/**
	 * A request in a span of its own: the span's labels laid over the thread, a label scope
	 * opened inside it (the first merge with that span's set, which builds the merged set),
	 * the span's labels taken off. Each call uses another span's set.
	 */
	@Benchmark
	public void newSpanThenRun(Blackhole bh) {
		this.blackhole = bh;
		LabelSet span = this.spans[this.nextSpan++ & (this.spans.length - 1)];
		LabelSet previous = LabelScopes.swapSpan(span);
		ProfilingLabels.run(TENANT, this.work);
		LabelScopes.swapSpan(previous);
	}

	/**
	 * A span scope opening and closing on the thread: its labels laid over the thread's own
	 * and the previous ones put back, as a tracer's scope hook does for a span of a new root.
	 */
	@Benchmark
	public void spanScope(Blackhole bh) {
		this.blackhole = bh;
		LabelSet previous = LabelScopes.swapSpan(CHILD_SPAN);
		this.work.run();
		LabelScopes.swapSpan(previous);
	}

	/** One read of the clock a timeline entry is stamped with: a scope pays it once, on entry. */
	@Benchmark
	public long clock() {
		return System.nanoTime();
	}

	@Benchmark
	public LabelSet current() {
		return ProfilingLabels.current();
	}

}
