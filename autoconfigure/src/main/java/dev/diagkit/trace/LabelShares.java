package dev.diagkit.trace;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.diagkit.labels.LabelSet;

import org.jspecify.annotations.Nullable;

/**
 * Sums a weight (wait time, samples) per value of a label, to say which tenant or endpoint
 * a cost belongs to.
 */
final class LabelShares {

	/** Label keys every breakdown covers. */
	static final List<String> KEYS = List.of("tenant", "endpoint");

	/** How many values a breakdown lists. */
	static final int TOP = 5;

	private final Map<String, Map<String, Double>> sums = new HashMap<>();

	private final Map<String, Double> joint = new HashMap<>();

	private double total;

	void add(LabelSet labels, double weight) {
		this.total += weight;
		StringBuilder both = new StringBuilder();
		for (String key : KEYS) {
			String value = labels.get(key);
			if (value != null) {
				both.append(both.isEmpty() ? "" : ", ").append(key).append('=').append(value);
			}
		}
		this.joint.merge(both.toString(), weight, Double::sum);
		for (String key : KEYS) {
			String value = labels.get(key);
			this.sums.computeIfAbsent(key, (k) -> new HashMap<>())
				.merge((value != null) ? value : "(none)", weight, Double::sum);
		}
	}

	/**
	 * Returns, per key, the values with the largest shares, largest first.
	 */
	Map<String, List<Map<String, Object>>> top() {
		Map<String, List<Map<String, Object>>> top = new LinkedHashMap<>();
		for (String key : KEYS) {
			Map<String, Double> values = this.sums.getOrDefault(key, Map.of());
			List<Map.Entry<String, Double>> sorted = new ArrayList<>(values.entrySet());
			sorted.sort(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
			List<Map<String, Object>> shares = new ArrayList<>();
			for (Map.Entry<String, Double> entry : sorted.subList(0, Math.min(TOP, sorted.size()))) {
				Map<String, Object> share = new LinkedHashMap<>();
				share.put("value", entry.getKey());
				share.put("share", round(entry.getValue() / this.total));
				shares.add(share);
			}
			top.put(key, shares);
		}
		return top;
	}

	/**
	 * Returns the value of a key with the largest share, and that share, or {@code null}
	 * when nothing was added.
	 */
	Map.@Nullable Entry<String, Double> largest(String key) {
		return largest(this.sums.getOrDefault(key, Map.of()));
	}

	private Map.@Nullable Entry<String, Double> largest(Map<String, Double> values) {
		Map.Entry<String, Double> largest = null;
		for (Map.Entry<String, Double> entry : values.entrySet()) {
			if (largest == null || entry.getValue() > largest.getValue()) {
				largest = entry;
			}
		}
		return (largest != null && this.total > 0) ? Map.entry(largest.getKey(), largest.getValue() / this.total) : null;
	}

	/**
	 * Says in words where most of the weight lies, such as "80% of the lock wait is
	 * tenant=acme, endpoint=POST /checkout", or returns {@code null} when no labelled share
	 * holds a majority.
	 * @param what what the weight is, such as "the lock wait"
	 */
	@Nullable String majority(String what) {
		Map.Entry<String, Double> both = largest(this.joint);
		if (both != null && both.getValue() >= 0.5 && !both.getKey().isEmpty()) {
			return Math.round(both.getValue() * 100) + "% of " + what + " is " + both.getKey();
		}
		for (String key : KEYS) {
			Map.Entry<String, Double> largest = largest(key);
			if (largest != null && largest.getValue() >= 0.5 && !largest.getKey().equals("(none)")) {
				return Math.round(largest.getValue() * 100) + "% of " + what + " is " + key + "=" + largest.getKey();
			}
		}
		return null;
	}

	static double round(double value) {
		return Math.round(value * 1000) / 1000.0;
	}

}
