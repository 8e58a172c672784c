package dev.diagkit.labels;

import java.lang.reflect.Method;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

/**
 * Reports the labels of every live thread that has used labels, and flags scopes opened
 * with {@link ProfilingLabels#replace} that have stayed open longer than a given age: the
 * Go leak where labels outlive the work they described.
 * <p>
 * While at least one registry is open, label changes record when they happened (to
 * {@value LabelClock#TICK_MILLIS} ms) on a daemon thread's clock; {@link #close()} stops
 * that thread when the last registry closes.
 */
public final class LabelRegistry implements AutoCloseable {

	private static final @Nullable Method IS_VIRTUAL = findIsVirtual();

	private final Duration staleAfter;

	private volatile boolean closed;

	/**
	 * Creates a registry view that calls a {@code replace} scope stale after
	 * {@code staleAfter}.
	 * @param staleAfter how long a {@code replace} scope may stay open before it is reported
	 */
	public LabelRegistry(Duration staleAfter) {
		if (staleAfter.isNegative() || staleAfter.isZero()) {
			throw new IllegalArgumentException("staleAfter must be positive, was " + staleAfter);
		}
		this.staleAfter = staleAfter;
		LabelClock.start();
	}

	/**
	 * Returns the age after which an open {@code replace} scope is reported as stale.
	 * @return the age
	 */
	public Duration staleAfter() {
		return this.staleAfter;
	}

	/**
	 * Returns every live thread that carries labels now.
	 * @return one entry per labelled thread
	 */
	public List<ThreadLabels> threads() {
		long nowNanos = System.nanoTime();
		Instant now = Instant.now();
		long staleNanos = this.staleAfter.toNanos();
		List<ThreadLabels> result = new ArrayList<>();
		for (Iterator<ThreadLabelState> it = ThreadLabelState.all(); it.hasNext();) {
			ThreadLabelState state = it.next();
			Thread thread = state.thread();
			if (thread == null) {
				continue;
			}
			LabelSet labels = state.labelsAcquire();
			if (labels.isEmpty()) {
				continue;
			}
			long since = state.sinceNanos;
			long replacedAt = state.replacedAtNanos;
			boolean stale = replacedAt != 0 && nowNanos - replacedAt > staleNanos;
			result.add(new ThreadLabels(state.threadId(), thread.getName(), isVirtual(thread), labels,
					instant(now, nowNanos, since), instant(now, nowNanos, replacedAt), state.inherited, stale));
		}
		return result;
	}

	/**
	 * Returns the threads whose {@code replace} scope has been open longer than the stale
	 * age.
	 * @return the stale entries
	 */
	public List<ThreadLabels> staleScopes() {
		return threads().stream().filter(ThreadLabels::stale).toList();
	}

	/**
	 * Counts the live threads per label key and value, for example
	 * {@code tenant -> {acme -> 3, globex -> 1}}.
	 * @return counts in key and value order
	 */
	public Map<String, Map<String, Integer>> activeCounts() {
		return activeCounts(threads());
	}

	/**
	 * Counts the threads of a snapshot per label key and value, so that counts and the list
	 * of threads shown beside them agree.
	 * @param threads a snapshot from {@link #threads()}
	 * @return counts in key and value order
	 */
	public static Map<String, Map<String, Integer>> activeCounts(List<ThreadLabels> threads) {
		Map<String, Map<String, Integer>> counts = new TreeMap<>();
		for (ThreadLabels thread : threads) {
			thread.labels()
				.forEach((key, value) -> counts.computeIfAbsent(key, (k) -> new TreeMap<>()).merge(value, 1, Integer::sum));
		}
		return counts;
	}

	private static @Nullable Instant instant(Instant now, long nowNanos, long nanos) {
		return (nanos != 0) ? now.minusNanos(nowNanos - nanos) : null;
	}

	/**
	 * Closes this view; the clock stops when no registry is open.
	 */
	@Override
	public void close() {
		if (!this.closed) {
			this.closed = true;
			LabelClock.stop();
		}
	}

	private static boolean isVirtual(Thread thread) {
		if (IS_VIRTUAL == null) {
			return false;
		}
		try {
			return (boolean) IS_VIRTUAL.invoke(thread);
		}
		catch (ReflectiveOperationException ex) {
			return false;
		}
	}

	private static @Nullable Method findIsVirtual() {
		try {
			return Thread.class.getMethod("isVirtual");
		}
		catch (NoSuchMethodException ex) {
			return null;
		}
	}

}
