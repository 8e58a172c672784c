package dev.diagkit.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import dev.diagkit.capacity.Budget;
import dev.diagkit.capacity.CapacityReport;
import dev.diagkit.capacity.CapacitySampler;
import dev.diagkit.capacity.Verdict;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

/**
 * The capacity verdicts as gauges, {@code diagkit.capacity.verdict{budget}}: 0 ok, 1 warn,
 * 2 critical, NaN while a budget is unknown or has too little data, so that alerting rules
 * can watch them where alerting lives. A scrape reads the five gauges one after the other:
 * the report behind them is built once and reused for a second.
 */
final class CapacityVerdictMeters implements MeterBinder {

	private static final long REUSE_NANOS = 1_000_000_000L;

	private static final Map<String, Function<CapacityReport, Budget>> BUDGETS = budgets();

	private final CapacitySampler sampler;

	private @Nullable CapacityReport report;

	private long reportedAt;

	CapacityVerdictMeters(CapacitySampler sampler) {
		this.sampler = sampler;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		BUDGETS.forEach((name, budget) -> Gauge
			.builder("diagkit.capacity.verdict", this, (meters) -> code(budget.apply(meters.report()).verdict()))
			.tag("budget", name)
			.description("Verdict of a capacity budget: 0 ok, 1 warn, 2 critical, NaN unknown or insufficient data")
			.baseUnit("verdict")
			.strongReference(true)
			.register(registry));
	}

	static double code(Verdict verdict) {
		return switch (verdict) {
			case OK -> 0;
			case WARN -> 1;
			case CRITICAL -> 2;
			case UNKNOWN, INSUFFICIENT_DATA -> Double.NaN;
		};
	}

	private synchronized CapacityReport report() {
		long now = System.nanoTime();
		CapacityReport current = this.report;
		if (current == null || now - this.reportedAt > REUSE_NANOS) {
			current = this.sampler.report();
			this.report = current;
			this.reportedAt = now;
		}
		return current;
	}

	private static Map<String, Function<CapacityReport, Budget>> budgets() {
		Map<String, Function<CapacityReport, Budget>> budgets = new LinkedHashMap<>();
		budgets.put("cpu", CapacityReport::cpu);
		budgets.put("memory", CapacityReport::memory);
		budgets.put("threads", CapacityReport::threads);
		budgets.put("latency", CapacityReport::latency);
		budgets.put("gc", CapacityReport::gc);
		return budgets;
	}

}
