package dev.diagkit.trace;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Count, mean, 99th percentile and maximum of a set of durations.
 */
final class DurationStats {

	private long[] values = new long[16];

	private int count;

	void add(long nanos) {
		if (this.count == this.values.length) {
			this.values = Arrays.copyOf(this.values, this.count * 2);
		}
		this.values[this.count++] = nanos;
	}

	int count() {
		return this.count;
	}

	Map<String, Object> toMap() {
		long[] sorted = Arrays.copyOf(this.values, this.count);
		Arrays.sort(sorted);
		long sum = 0;
		for (long value : sorted) {
			sum += value;
		}
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("count", this.count);
		map.put("meanMs", (this.count > 0) ? Detector.ms(sum / this.count) : 0.0);
		map.put("p99Ms", (this.count > 0) ? Detector.ms(sorted[Math.min(this.count - 1, (int) Math.ceil(this.count * 0.99) - 1)])
				: 0.0);
		map.put("maxMs", (this.count > 0) ? Detector.ms(sorted[this.count - 1]) : 0.0);
		return map;
	}

}
