package dev.diagkit.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.DoubleAdder;

import dev.diagkit.labels.LabelRegistry;
import dev.diagkit.labels.LeakedScopes;
import io.micrometer.core.instrument.FunctionCounter;
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
 * <p>
 * A count at one instant misses work that comes and goes between scrapes, so
 * {@code diagkit.labels.busy{key,value}} adds up thread-seconds: each {@link #sampleBusy()}
 * (ten times a second or more) adds, for every value, the threads carrying it times the time
 * since the previous sample. Its rate is the average number of threads busy under the value.
 * Each key has at most {@code maxValuesPerKey} such counters (later values count under the
 * overflow value); a counter that gained nothing for {@value #BUSY_IDLE_MINUTES} minutes is
 * removed, which frees its place.
 */
public class LabelActivityMetrics implements MeterBinder {

	private final LabelRegistry labels;

	private final Set<String> keys;

	private final int maxValuesPerKey;

	private final String overflowValue;

	private final Iterable<Tag> tags;

	private final List<MultiGauge> gauges = new CopyOnWriteArrayList<>();

	private final Map<Tags, AtomicInteger> counts = new HashMap<>();

	static final long BUSY_IDLE_MINUTES = 10;

	private static final long BUSY_IDLE_NANOS = TimeUnit.MINUTES.toNanos(BUSY_IDLE_MINUTES);

	/** Samples between two searches for idle counters: about a minute at ten a second. */
	private static final int PRUNE_EVERY = 600;

	private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();

	/** Thread-seconds per key, then value; guarded by this. */
	private final Map<String, Map<String, BusyTime>> busy = new HashMap<>();

	private long lastBusySample;

	private int samplesSincePrune;

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
		for (String kind : LeakedScopes.KINDS) {
			FunctionCounter.builder("diagkit.labels.leaked", kind, LeakedScopes::count)
				.tags(this.tags)
				.tag("kind", kind)
				.description("Label scopes left open past their owner (a task, a request, an enclosing scope)")
				.baseUnit("scopes")
				.register(registry);
		}
		this.registries.add(registry);
		this.busy.values().forEach((values) -> values.values().forEach((time) -> time.register(registry)));
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

	/**
	 * Adds the thread-seconds since the previous call to every value of the chosen keys that
	 * threads carry now. Meant to run on a schedule of 100 ms or less; the first call only
	 * starts the clock.
	 */
	public void sampleBusy() {
		sampleBusy(System.nanoTime());
	}

	synchronized void sampleBusy(long now) {
		long last = this.lastBusySample;
		this.lastBusySample = now;
		if (last == 0 || this.registries.isEmpty()) {
			return;
		}
		double seconds = (now - last) / 1e9;
		for (Map.Entry<String, Map<String, Integer>> key : this.labels.activeCounts().entrySet()) {
			if (this.keys.contains(key.getKey())) {
				Map<String, BusyTime> values = this.busy.computeIfAbsent(key.getKey(), (k) -> new HashMap<>());
				key.getValue().forEach((value, threads) -> busyTime(key.getKey(), values, value).add(threads * seconds, now));
			}
		}
		if (++this.samplesSincePrune >= PRUNE_EVERY) {
			this.samplesSincePrune = 0;
			pruneIdle(now);
		}
	}

	private BusyTime busyTime(String key, Map<String, BusyTime> values, String value) {
		BusyTime time = values.get(value);
		if (time == null) {
			// the overflow counter does not take one of the places of the key's own values
			int own = values.size() - (values.containsKey(this.overflowValue) ? 1 : 0);
			String kept = (own < this.maxValuesPerKey - 1 || value.equals(this.overflowValue)) ? value
					: this.overflowValue;
			time = values.get(kept);
			if (time == null) {
				time = new BusyTime(Tags.of("key", key, "value", kept).and(this.tags));
				values.put(kept, time);
				for (MeterRegistry registry : this.registries) {
					time.register(registry);
				}
			}
		}
		return time;
	}

	synchronized void pruneIdle(long now) {
		for (Map<String, BusyTime> values : this.busy.values()) {
			values.values().removeIf((time) -> {
				boolean idle = now - time.lastGainNanos > BUSY_IDLE_NANOS;
				if (idle) {
					this.registries.forEach(time::remove);
				}
				return idle;
			});
		}
	}

	/** How many values of a key have a busy-time counter now. */
	synchronized int busyCounters(String key) {
		Map<String, BusyTime> values = this.busy.get(key);
		return (values != null) ? values.size() : 0;
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

	/** The thread-seconds of one label value, read by its counters. */
	private static final class BusyTime {

		private final Tags tags;

		private final DoubleAdder seconds = new DoubleAdder();

		private final List<FunctionCounter> counters = new CopyOnWriteArrayList<>();

		private volatile long lastGainNanos = System.nanoTime();

		BusyTime(Tags tags) {
			this.tags = tags;
		}

		void add(double threadSeconds, long now) {
			this.seconds.add(threadSeconds);
			this.lastGainNanos = now;
		}

		void register(MeterRegistry registry) {
			this.counters.add(FunctionCounter.builder("diagkit.labels.busy", this.seconds, DoubleAdder::sum)
				.tags(this.tags)
				.description("Thread-seconds spent under a label value; its rate is the average number of threads "
						+ "busy under it")
				.baseUnit("seconds")
				.register(registry));
		}

		void remove(MeterRegistry registry) {
			for (FunctionCounter counter : this.counters) {
				registry.remove(counter);
			}
		}

	}

}
