package dev.diagkit.profiling;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.diagkit.profiling.Profile.Sample;

/**
 * The functions that cost most in a profile, overall and for each value of one label key,
 * by self value (the function at the top of the stack) and total value (the function
 * anywhere on the stack, counted once per sample): what {@code go tool pprof -top} prints,
 * sliced by label, for scripts.
 */
public final class TopFunctions {

	private TopFunctions() {
	}

	/**
	 * Returns the top functions of a profile, overall and for every value of every label
	 * key its samples carry.
	 * @param profile the profile
	 * @param valueIndex the sample value to rank by, such as 1 for CPU nanoseconds
	 * @param limit how many functions each ranking lists
	 * @return the rankings
	 */
	public static Report of(Profile profile, int valueIndex, int limit) {
		Map<String, Map<String, Tally>> byLabel = new TreeMap<>();
		Tally overall = new Tally();
		for (Sample sample : profile.samples()) {
			long value = sample.value(valueIndex);
			overall.add(sample, value);
			sample.labels()
				.forEach((key, labelValue) -> byLabel.computeIfAbsent(key, (k) -> new HashMap<>())
					.computeIfAbsent(labelValue, (k) -> new Tally())
					.add(sample, value));
		}
		Map<String, Map<String, Ranking>> rankings = new LinkedHashMap<>();
		byLabel.forEach((key, tallies) -> {
			Map<String, Ranking> slices = new LinkedHashMap<>();
			tallies.entrySet()
				.stream()
				.sorted(Comparator.<Map.Entry<String, Tally>>comparingLong((entry) -> -entry.getValue().total)
					.thenComparing(Map.Entry::getKey))
				.forEach((entry) -> slices.put(entry.getKey(), entry.getValue().ranking(limit)));
			rankings.put(key, slices);
		});
		return new Report(profile.type().sampleTypes().get(valueIndex), overall.ranking(limit), rankings);
	}

	/**
	 * The rankings of a profile.
	 *
	 * @param value what the figures measure
	 * @param overall the ranking over every sample
	 * @param byLabel for each label key, a ranking per value, largest total first
	 */
	public record Report(ProfileType.ValueType value, Ranking overall, Map<String, Map<String, Ranking>> byLabel) {
	}

	/**
	 * One ranking.
	 *
	 * @param total the sum of the value over the ranked samples
	 * @param bySelf the functions with the largest self value, largest first
	 * @param byTotal the functions with the largest total value, largest first
	 */
	public record Ranking(long total, List<Entry> bySelf, List<Entry> byTotal) {
	}

	/**
	 * A function's figures.
	 *
	 * @param function the function, {@code class.method}
	 * @param self the value of samples with the function at the top of the stack
	 * @param selfShare {@code self} as a share of the ranking's total
	 * @param total the value of samples with the function anywhere on the stack
	 * @param totalShare {@code total} as a share of the ranking's total
	 */
	public record Entry(String function, long self, double selfShare, long total, double totalShare) {
	}

	private static final class Tally {

		private final Map<String, long[]> functions = new HashMap<>();

		private long total;

		void add(Sample sample, long value) {
			this.total += value;
			List<StackFrame> stack = sample.stack();
			if (stack.isEmpty()) {
				return;
			}
			this.functions.computeIfAbsent(stack.get(0).functionName(), (k) -> new long[2])[0] += value;
			Set<String> seen = new HashSet<>();
			for (StackFrame frame : stack) {
				if (seen.add(frame.functionName())) {
					this.functions.computeIfAbsent(frame.functionName(), (k) -> new long[2])[1] += value;
				}
			}
		}

		Ranking ranking(int limit) {
			return new Ranking(this.total, top(0, limit), top(1, limit));
		}

		private List<Entry> top(int index, int limit) {
			List<Entry> entries = new ArrayList<>();
			this.functions.entrySet()
				.stream()
				.filter((entry) -> entry.getValue()[index] > 0)
				.sorted(Comparator.<Map.Entry<String, long[]>>comparingLong((entry) -> -entry.getValue()[index])
					.thenComparing(Map.Entry::getKey))
				.limit(limit)
				.forEach((entry) -> entries.add(new Entry(entry.getKey(), entry.getValue()[0],
						share(entry.getValue()[0]), entry.getValue()[1], share(entry.getValue()[1]))));
			return entries;
		}

		private double share(long value) {
			return (this.total > 0) ? Math.round(10_000.0 * value / this.total) / 10_000.0 : 0;
		}

	}

}
