package dev.diagkit.labels;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Scopes left open past their owner: a scope opened inside a task, a request or an
 * enclosing scope that was still open when that owner ended. The owner puts the thread's
 * labels back whatever happened inside it, so the leak cannot follow a pool thread into its
 * next task; what is left is code that forgot to close a scope, and it is counted by kind and
 * the most recent are kept, for the {@code labels} section and a meter.
 */
public final class LeakedScopes {

	/** How many recent leaks are kept. */
	public static final int RECENT = 32;

	/** The kinds of scope, as counted: how each was opened. */
	public static final List<String> KINDS = List.of("replace", "open", "openExactly");

	private static final Map<String, LongAdder> COUNTS = new ConcurrentHashMap<>();

	private static final Deque<Leak> RECENT_LEAKS = new ArrayDeque<>(RECENT);

	private LeakedScopes() {
	}

	static void leaked(LabelScope scope, String owner, LabelSet ownerLabels) {
		COUNTS.computeIfAbsent(scope.kind(), (kind) -> new LongAdder()).increment();
		Leak leak = new Leak(scope.kind(), scope.labels(), Thread.currentThread().getName(), owner, ownerLabels,
				Instant.now());
		synchronized (RECENT_LEAKS) {
			if (RECENT_LEAKS.size() >= RECENT) {
				RECENT_LEAKS.removeFirst();
			}
			RECENT_LEAKS.addLast(leak);
		}
	}

	/**
	 * Returns how many scopes leaked since the JVM started, by kind ({@code replace},
	 * {@code open}, {@code openExactly}).
	 * @return counts by kind, in kind order
	 */
	public static Map<String, Long> counts() {
		Map<String, Long> counts = new TreeMap<>();
		COUNTS.forEach((kind, count) -> counts.put(kind, count.sum()));
		return counts;
	}

	/**
	 * Returns how many scopes of one kind leaked since the JVM started.
	 * @param kind the kind, such as {@code open}
	 * @return the count
	 */
	public static long count(String kind) {
		LongAdder count = COUNTS.get(kind);
		return (count != null) ? count.sum() : 0;
	}

	/**
	 * Returns the most recent leaks, oldest first, at most {@value #RECENT}.
	 * @return the leaks
	 */
	public static List<Leak> recent() {
		synchronized (RECENT_LEAKS) {
			return new ArrayList<>(RECENT_LEAKS);
		}
	}

	/**
	 * One scope left open past its owner.
	 *
	 * @param kind how it was opened: {@code replace}, {@code open} or {@code openExactly}
	 * @param labels the labels it set
	 * @param thread the thread it was opened on
	 * @param owner what ended while it was open: a task, {@code ProfilingLabels.run}, or an
	 * enclosing scope
	 * @param ownerLabels the labels the owner had (a request's, say)
	 * @param at when the owner ended
	 */
	public record Leak(String kind, LabelSet labels, String thread, String owner, LabelSet ownerLabels, Instant at) {
	}

}
