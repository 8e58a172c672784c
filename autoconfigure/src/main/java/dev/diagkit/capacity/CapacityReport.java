package dev.diagkit.capacity;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import dev.diagkit.runtime.DurationFormat;

import static dev.diagkit.capacity.CapacityText.millis;
import static dev.diagkit.capacity.CapacityText.number;

/**
 * The capacity report: five budgets ({@code cpu}, {@code memory}, {@code threads},
 * {@code latency}, {@code gc}), each with a verdict, the threshold used, a one-line
 * recommendation and the figures behind it. Verdicts are taken over the shortest window;
 * the other windows are shown for planning.
 *
 * @param window the window the verdicts are taken over
 * @param sampleInterval how often inputs are sampled
 * @param samples how many samples were taken since start
 * @param cpu the CPU budget: GC share of CPU
 * @param memory the memory budget: peak working set and heap with headroom against their
 * limits
 * @param threads the thread budget: p99 live threads with headroom against the thread limit
 * @param latency the latency budget: executor queue wait and run-queue wait
 * @param gc the GC budget: pause p99 against the pause target
 */
public record CapacityReport(Duration window, Duration sampleInterval, long samples, Budget cpu, Budget memory,
		Budget threads, Budget latency, Budget gc) {

	/**
	 * Renders the report for a JSON writer.
	 * @return {@code window}, {@code sampleInterval}, {@code samples} and one entry per
	 * budget
	 */
	public Map<String, Object> toJson() {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("window", DurationFormat.format(this.window));
		json.put("sampleInterval", DurationFormat.format(this.sampleInterval));
		json.put("samples", this.samples);
		json.put("cpu", this.cpu.toJson());
		json.put("memory", this.memory.toJson());
		json.put("threads", this.threads.toJson());
		json.put("latency", this.latency.toJson());
		json.put("gc", this.gc.toJson());
		return json;
	}

	/**
	 * Renders the report as a short text for people: one line per budget with its verdict,
	 * value and thresholds, and its recommendation below.
	 * @return the text
	 */
	public String toText() {
		StringBuilder text = new StringBuilder();
		text.append("capacity over ")
			.append(DurationFormat.format(this.window))
			.append(", ")
			.append(this.samples)
			.append(" samples every ")
			.append(DurationFormat.format(this.sampleInterval))
			.append('\n');
		line(text, "cpu", this.cpu);
		line(text, "memory", this.memory);
		line(text, "threads", this.threads);
		line(text, "latency", this.latency);
		line(text, "gc", this.gc);
		return text.toString();
	}

	private static void line(StringBuilder text, String name, Budget budget) {
		text.append(String.format(Locale.ROOT, "%-8s %-8s %s (warn above %s, critical above %s)%n", name,
				budget.verdict().label().toUpperCase(Locale.ROOT), format(budget.value(), budget.unit()),
				format(budget.warn(), budget.unit()), format(budget.critical(), budget.unit())));
		text.append("         ").append(budget.recommendation()).append('\n');
	}

	private static String format(double value, String unit) {
		if (Double.isNaN(value)) {
			return "unknown";
		}
		return switch (unit) {
			case "seconds" -> millis(value);
			case "ratio" -> String.format(Locale.ROOT, "%.2f", value);
			default -> number(value) + " " + unit;
		};
	}

}
