package dev.diagkit.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.diagkit.labels.LabelRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * How many live threads run under each value of the chosen label keys right now:
 * {@code diagkit.labels.active{key,value}}, such as {@code {key="tenant",value="acme"}} — a
 * goroutine count sliced by label, which Go cannot give. Labels from requests and jobs are
 * already bounded by the label policy, but code may set any value, so each key keeps at most
 * {@code maxValuesPerKey} values with the most threads and counts the rest under the overflow
 * value. A value no thread carries any more leaves the meter at the next {@link #refresh()}.
 */
public class LabelActivityMetrics implements MeterBinder {

	private final LabelRegistry labels;

	private final Set<String> keys;

	private final int maxValuesPerKey;

	private final String overflowValue;

	private final Iterable<Tag> tags;

	private final List<MultiGauge> gauges = new CopyOnWriteArrayList<>();

	private final Map<Tags, AtomicInteger> counts = new HashMap<>();

	/**
	 * Creates the binder.
	 * @param labels the live threads' labels
	 * @param keys the label keys to count, such as {@code tenant}, {@code endpoint} and
	 * {@code job}
	 * @param maxValuesPerKey most values one key shows, such as the label policy's limit
	 * @param overflowValue the value that counts the threads of the other values, such as
	 * {@code _other}
	 * @param tags tags added to every meter
	 */
	public LabelActivityMetrics(LabelRegistry labels, Set<String> keys, int maxValuesPerKey, String overflowValue,
			Iterable<Tag> tags) {
		if (maxValuesPerKey < 1) {
			throw new IllegalArgumentException("maxValuesPerKey must be at least 1, was " + maxValuesPerKey);
		}
		this.labels = labels;
		this.keys = Set.copyOf(keys);
		this.maxValuesPerKey = maxValuesPerKey;
		this.overflowValue = overflowValue;
		this.tags = tags;
	}

	@Override
	public synchronized void bindTo(MeterRegistry registry) {
		this.gauges.add(MultiGauge.builder("diagkit.labels.active")
			.tags(this.tags)
			.description("Live threads running under a label value now")
			.baseUnit("threads")
			.register(registry));
		refresh();
	}

	/**
	 * Counts the threads again and updates the meters. Each (key, value) keeps one holder,
	 * so that its meter is registered once and only updated afterwards.
	 */
	public synchronized void refresh() {
		if (this.gauges.isEmpty()) {
			return;
		}
		Map<Tags, AtomicInteger> current = new LinkedHashMap<>();
		for (Map.Entry<String, Map<String, Integer>> key : this.labels.activeCounts().entrySet()) {
			if (this.keys.contains(key.getKey())) {
				bounded(key.getValue()).forEach((value, count) -> {
					Tags tags = Tags.of("key", key.getKey(), "value", value);
					AtomicInteger holder = this.counts.computeIfAbsent(tags, (t) -> new AtomicInteger());
					holder.set(count);
					current.put(tags, holder);
				});
			}
		}
		this.counts.keySet().retainAll(current.keySet());
		List<MultiGauge.Row<?>> rows = new ArrayList<>();
		current.forEach((tags, holder) -> rows.add(MultiGauge.Row.of(tags, holder)));
		for (MultiGauge gauge : this.gauges) {
			gauge.register(rows, false);
		}
	}

	private Map<String, Integer> bounded(Map<String, Integer> counts) {
		if (counts.size() <= this.maxValuesPerKey) {
			return counts;
		}
		List<Map.Entry<String, Integer>> busiest = new ArrayList<>(counts.entrySet());
		busiest.sort(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
		Map<String, Integer> bounded = new LinkedHashMap<>();
		for (Map.Entry<String, Integer> entry : busiest) {
			boolean room = bounded.size() < this.maxValuesPerKey - 1 && !entry.getKey().equals(this.overflowValue);
			bounded.merge(room ? entry.getKey() : this.overflowValue, entry.getValue(), Integer::sum);
		}
		return bounded;
	}

}
