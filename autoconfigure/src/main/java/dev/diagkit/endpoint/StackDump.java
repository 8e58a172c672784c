package dev.diagkit.endpoint;

import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import dev.diagkit.labels.LabelSet;
import org.jspecify.annotations.Nullable;

/**
 * Takes the stack of every thread and groups the threads that are in the same state with
 * the same stack, each group with its thread names and the labels its threads carry: the
 * engine behind {@code GET /actuator/diag/stacks}, in the manner of Go's goroutine profile
 * ({@code debug=1} groups, {@code debug=2} lists every goroutine).
 * <p>
 * <b>Cost.</b> Platform threads come from {@link ThreadMXBean#dumpAllThreads(boolean, boolean)},
 * which brings the JVM to a safepoint: every application thread pauses while all stacks
 * are walked, O(threads), a few milliseconds for thousands of threads. On JDK 21+ virtual
 * threads are added from the JDK's JSON thread dump
 * ({@code HotSpotDiagnosticMXBean.dumpThreads}, called reflectively), which visits the
 * threads one at a time without a global pause and goes through a temporary file that is
 * always deleted; reading it needs Jackson ({@code tools.jackson.databind}), without which
 * virtual threads are left out and the result says so. On JDK 17 there are no virtual
 * threads and none are reported. Measured with 2,000 parked platform threads on 2 cores:
 * the safepoint dump takes 15 to 85 ms (JDK 17 and 25); on JDK 25 the JSON dump adds 100 to
 * 200 ms, as it visits the platform threads too.
 * <p>
 * <b>Size.</b> The rendered result never exceeds {@code maxBytes}: groups are added, largest
 * first, until the next one would not fit (measured as the larger of its UTF-8 text and its
 * compact JSON), then the result is marked truncated with how many groups and threads were
 * left out.
 * <p>
 * A thread that ends while the dump is taken is simply absent. Instances are immutable and
 * may be shared; each {@link #capture} takes a new dump.
 */
public final class StackDump {

	/**
	 * What a truncated result tells the reader to do.
	 */
	static final String MAX_SIZE_HINT = "raise diagkit.endpoint.stacks.max-size";

	/**
	 * Room kept for the header beyond its measured worst case (the duration may be written
	 * with a few more digits by a JSON library).
	 */
	private static final int HEADER_SLACK = 32;

	private static final Comparator<ThreadStack> BY_NAME = Comparator.comparing(ThreadStack::displayName)
		.thenComparingLong(ThreadStack::id);

	private static final Comparator<StackGroup> LARGEST_FIRST = Comparator.comparingInt(StackGroup::count)
		.reversed()
		.thenComparing((group) -> group.threadNames().get(0))
		.thenComparingLong((group) -> group.threadIds().get(0));

	private static final Comparator<StackGroup.LabelCount> MOST_CARRIED_FIRST = Comparator
		.comparingInt(StackGroup.LabelCount::count)
		.reversed()
		.thenComparing((entry) -> entry.labels().toString());

	private final ThreadMXBean threadMXBean;

	private final Map<Long, LabelSet> labelsByThreadId;

	private final long maxBytes;

	private final VirtualThreadDump virtualThreadDump;

	/**
	 * Creates a stack dump.
	 * @param threadMXBean the thread bean to dump, usually
	 * {@link java.lang.management.ManagementFactory#getThreadMXBean()}
	 * @param labelsByThreadId the labels of labelled threads by thread id, for example from
	 * {@link dev.diagkit.labels.LabelRegistry#threads()}; threads not in it count as carrying
	 * no labels
	 * @param maxBytes the most bytes a rendered result may take
	 * @throws IllegalArgumentException if {@code maxBytes} is not positive
	 */
	public StackDump(ThreadMXBean threadMXBean, Map<Long, LabelSet> labelsByThreadId, long maxBytes) {
		this(threadMXBean, labelsByThreadId, maxBytes, VirtualThreadDump.create());
	}

	StackDump(ThreadMXBean threadMXBean, Map<Long, LabelSet> labelsByThreadId, long maxBytes,
			VirtualThreadDump virtualThreadDump) {
		if (maxBytes <= 0) {
			throw new IllegalArgumentException("maxBytes must be positive, was " + maxBytes);
		}
		this.threadMXBean = Objects.requireNonNull(threadMXBean, "threadMXBean must not be null");
		this.labelsByThreadId = Objects.requireNonNull(labelsByThreadId, "labelsByThreadId must not be null");
		this.maxBytes = maxBytes;
		this.virtualThreadDump = virtualThreadDump;
	}

	/**
	 * Takes the dump: pauses the JVM at a safepoint while every platform thread's stack is
	 * taken, then (JDK 21+) dumps the virtual threads.
	 * @param group whether to group threads by state and stack ({@code true}, the default of
	 * the endpoint) or to list every thread on its own
	 * @return the dump, cut to the size limit
	 */
	public Result capture(boolean group) {
		long start = System.nanoTime();
		ThreadInfo[] infos = this.threadMXBean.dumpAllThreads(false, false);
		Map<List<String>, List<String>> sharedFrames = new HashMap<>();
		Set<Long> platformThreadIds = new HashSet<>();
		List<ThreadStack> threads = new ArrayList<>(infos.length);
		for (ThreadInfo info : infos) {
			// defensive: a thread that ended is left out rather than reported as null
			if (info != null) {
				ThreadStack thread = ThreadStack.of(info);
				platformThreadIds.add(thread.id());
				threads.add(thread.withFrames(sharedFrames.computeIfAbsent(thread.frames(), (frames) -> frames)));
			}
		}
		VirtualThreadDump.Outcome virtual = this.virtualThreadDump.capture(() -> {
			for (long id : this.threadMXBean.getAllThreadIds()) {
				platformThreadIds.add(id);
			}
			return platformThreadIds;
		});
		threads.addAll(virtual.threads());
		Duration took = Duration.ofNanos(System.nanoTime() - start);
		List<StackGroup> groups = group ? groupByStack(threads) : oneGroupPerThread(threads);
		groups.sort(LARGEST_FIRST);
		return new Result(group, groups, threads.size(), virtual.threads().size(), took, virtual.omittedReason(),
				this.maxBytes);
	}

	private List<StackGroup> groupByStack(List<ThreadStack> threads) {
		Map<StackKey, List<ThreadStack>> byStack = new HashMap<>();
		for (ThreadStack thread : threads) {
			StackKey key = new StackKey(thread.virtual(), thread.container(), thread.state(), thread.frames());
			byStack.computeIfAbsent(key, (k) -> new ArrayList<>()).add(thread);
		}
		List<StackGroup> groups = new ArrayList<>(byStack.size());
		for (List<ThreadStack> members : byStack.values()) {
			groups.add(toGroup(members));
		}
		return groups;
	}

	private List<StackGroup> oneGroupPerThread(List<ThreadStack> threads) {
		List<StackGroup> groups = new ArrayList<>(threads.size());
		for (ThreadStack thread : threads) {
			groups.add(toGroup(List.of(thread)));
		}
		return groups;
	}

	private StackGroup toGroup(List<ThreadStack> members) {
		List<ThreadStack> sorted = new ArrayList<>(members);
		sorted.sort(BY_NAME);
		List<String> names = new ArrayList<>(sorted.size());
		List<Long> ids = new ArrayList<>(sorted.size());
		Map<LabelSet, Integer> carried = new HashMap<>();
		int unlabelled = 0;
		for (ThreadStack thread : sorted) {
			names.add(thread.displayName());
			ids.add(thread.id());
			LabelSet labels = this.labelsByThreadId.get(thread.id());
			if (labels == null || labels.isEmpty()) {
				unlabelled++;
			}
			else {
				carried.merge(labels, 1, Integer::sum);
			}
		}
		List<StackGroup.LabelCount> labelCounts = new ArrayList<>(carried.size());
		carried.forEach((labels, count) -> labelCounts.add(new StackGroup.LabelCount(labels, count)));
		labelCounts.sort(MOST_CARRIED_FIRST);
		ThreadStack first = sorted.get(0);
		return new StackGroup(first.state(), first.virtual(), first.container(), first.frames(), names, ids,
				labelCounts, unlabelled, first.lock());
	}

	/**
	 * Returns how many bytes the compact JSON of a value takes, as Jackson writes maps,
	 * lists, strings, numbers and booleans (UTF-8, no whitespace, control characters and
	 * {@code "} and {@code \} escaped).
	 */
	static long jsonSize(@Nullable Object value) {
		if (value == null) {
			return 4;
		}
		if (value instanceof Boolean bool) {
			return bool ? 4 : 5;
		}
		if (value instanceof Number number) {
			return number.toString().length();
		}
		if (value instanceof Map<?, ?> map) {
			long size = 2 + Math.max(0, map.size() - 1);
			for (Map.Entry<?, ?> entry : map.entrySet()) {
				size += jsonStringSize(String.valueOf(entry.getKey())) + 1 + jsonSize(entry.getValue());
			}
			return size;
		}
		if (value instanceof Collection<?> collection) {
			long size = 2 + Math.max(0, collection.size() - 1);
			for (Object element : collection) {
				size += jsonSize(element);
			}
			return size;
		}
		return jsonStringSize(value.toString());
	}

	private static long jsonStringSize(String text) {
		long size = 2;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '"' || c == '\\') {
				size += 2;
			}
			else if (c < 0x20) {
				size += (c == '\b' || c == '\t' || c == '\n' || c == '\f' || c == '\r') ? 2 : 6;
			}
			else {
				size += utf8Length(c);
			}
		}
		return size;
	}

	static long utf8Length(CharSequence text) {
		long size = 0;
		for (int i = 0; i < text.length(); i++) {
			size += utf8Length(text.charAt(i));
		}
		return size;
	}

	private static int utf8Length(char c) {
		if (c < 0x80) {
			return 1;
		}
		if (c < 0x800 || Character.isSurrogate(c)) {
			// a surrogate pair takes four bytes, two per half
			return 2;
		}
		return 3;
	}

	private record StackKey(boolean virtual, @Nullable String container, Thread.@Nullable State state,
			List<String> frames) {
	}

	/**
	 * One stack dump, grouped or not, cut to the size limit; render it with
	 * {@link #toText()} or {@link #toJson()}.
	 */
	public static final class Result {

		private final boolean grouped;

		private final int threadCount;

		private final int virtualThreadCount;

		private final int groupCount;

		private final Duration took;

		private final @Nullable String virtualThreadsOmitted;

		private final List<StackGroup> groups;

		private final List<String> texts;

		private final List<Map<String, Object>> jsons;

		private final int omittedGroups;

		private final int omittedThreads;

		Result(boolean grouped, List<StackGroup> allGroups, int threadCount, int virtualThreadCount, Duration took,
				@Nullable String virtualThreadsOmitted, long maxBytes) {
			this.grouped = grouped;
			this.threadCount = threadCount;
			this.virtualThreadCount = virtualThreadCount;
			this.groupCount = allGroups.size();
			this.took = took;
			this.virtualThreadsOmitted = virtualThreadsOmitted;
			long header = Math.max(utf8Length(header(this.groupCount, threadCount)),
					jsonSize(envelope(this.groupCount, threadCount, List.of())));
			long budget = maxBytes - header - HEADER_SLACK;
			long used = 0;
			int keptThreads = 0;
			List<String> keptTexts = new ArrayList<>();
			List<Map<String, Object>> keptJsons = new ArrayList<>();
			for (StackGroup group : allGroups) {
				StringBuilder text = new StringBuilder();
				group.appendText(text, grouped);
				Map<String, Object> json = Collections.unmodifiableMap(group.toJson(grouped));
				// one more byte: the blank line before the text, the comma between JSON entries
				long cost = Math.max(utf8Length(text), jsonSize(json)) + 1;
				if (used + cost > budget) {
					break;
				}
				used += cost;
				keptThreads += group.count();
				keptTexts.add(text.toString());
				keptJsons.add(json);
			}
			this.groups = List.copyOf(allGroups.subList(0, keptTexts.size()));
			this.texts = keptTexts;
			this.jsons = Collections.unmodifiableList(keptJsons);
			this.omittedGroups = allGroups.size() - keptTexts.size();
			this.omittedThreads = threadCount - keptThreads;
		}

		/**
		 * Returns whether threads were grouped by state and stack.
		 * @return {@code true} when grouped, {@code false} for one entry per thread
		 */
		public boolean grouped() {
			return this.grouped;
		}

		/**
		 * Returns how many threads the dump saw, virtual ones included.
		 * @return the number of threads
		 */
		public int threadCount() {
			return this.threadCount;
		}

		/**
		 * Returns how many of the threads are virtual threads.
		 * @return the number of virtual threads
		 */
		public int virtualThreadCount() {
			return this.virtualThreadCount;
		}

		/**
		 * Returns how many groups the dump has before the size limit.
		 * @return the number of groups (of threads, when not grouped)
		 */
		public int groupCount() {
			return this.groupCount;
		}

		/**
		 * Returns how long the dump took.
		 * @return the duration
		 */
		public Duration took() {
			return this.took;
		}

		/**
		 * Returns the groups that fit in the size limit, largest first, then by first thread
		 * name.
		 * @return the groups
		 */
		public List<StackGroup> groups() {
			return this.groups;
		}

		/**
		 * Returns whether groups were left out to respect the size limit.
		 * @return whether the result is truncated
		 */
		public boolean truncated() {
			return this.omittedGroups > 0;
		}

		/**
		 * Returns how many groups were left out to respect the size limit.
		 * @return the number of groups left out
		 */
		public int omittedGroups() {
			return this.omittedGroups;
		}

		/**
		 * Returns how many threads the left-out groups have.
		 * @return the number of threads left out
		 */
		public int omittedThreads() {
			return this.omittedThreads;
		}

		/**
		 * Returns why virtual threads are not included although the JVM may have some (for
		 * example, Jackson is not on the class path).
		 * @return the reason, or {@code null} when they are included or the JDK has none
		 */
		public @Nullable String virtualThreadsOmitted() {
			return this.virtualThreadsOmitted;
		}

		/**
		 * Renders the dump as text, Go-style: a line of totals, then each group as a line
		 * {@code 12 threads @ WAITING [tenant=acme (3), no labels (9)]}, the quoted thread
		 * names, the lock the first thread waits on, and the frames indented by a tab, with a
		 * blank line between groups.
		 * @return the text, at most the size limit in UTF-8 bytes
		 */
		public String toText() {
			StringBuilder out = new StringBuilder(header(this.omittedGroups, this.omittedThreads));
			for (String text : this.texts) {
				out.append('\n').append(text);
			}
			return out.toString();
		}

		/**
		 * Renders the dump as a JSON-ready map: {@code threadCount}, {@code virtualThreadCount},
		 * {@code groupCount}, {@code grouped}, {@code tookMillis}, {@code truncated},
		 * {@code omittedGroups}, {@code omittedThreads}, {@code hint} (when truncated),
		 * {@code virtualThreadsOmitted} (when virtual threads are missing) and {@code stacks}:
		 * one object per group with {@code count}, {@code state}, {@code virtual},
		 * {@code container} (virtual threads), {@code threadId} (when not grouped),
		 * {@code threads}, {@code labels} ({@code [{"labels": {...}, "count": n}]}),
		 * {@code unlabelled}, {@code lock}, {@code lockOwner}, {@code lockOwnerId} (when
		 * waiting on a lock) and {@code frames}.
		 * @return the map; written as compact JSON it takes at most the size limit
		 */
		public Map<String, Object> toJson() {
			return envelope(this.omittedGroups, this.omittedThreads, this.jsons);
		}

		private String header(int omittedGroups, int omittedThreads) {
			StringBuilder out = new StringBuilder();
			out.append(this.threadCount)
				.append((this.threadCount == 1) ? " thread (" : " threads (")
				.append(this.virtualThreadCount)
				.append(" virtual)");
			if (this.grouped) {
				out.append(" in ").append(this.groupCount).append((this.groupCount == 1) ? " group" : " groups");
			}
			else {
				out.append(", one entry per thread");
			}
			out.append(", dump took ").append(String.format(Locale.ROOT, "%.1f", tookMillis())).append(" ms\n");
			if (omittedGroups > 0) {
				out.append("truncated: ").append(omittedGroups).append(" of ").append(this.groupCount);
				if (this.grouped) {
					out.append(" groups (").append(omittedThreads).append(" threads)");
				}
				else {
					out.append(" threads");
				}
				out.append(" left out; ").append(MAX_SIZE_HINT).append('\n');
			}
			if (this.virtualThreadsOmitted != null) {
				out.append("virtual threads not included: ").append(this.virtualThreadsOmitted).append('\n');
			}
			return out.toString();
		}

		private Map<String, Object> envelope(int omittedGroups, int omittedThreads, List<Map<String, Object>> stacks) {
			Map<String, Object> json = new LinkedHashMap<>();
			json.put("threadCount", this.threadCount);
			json.put("virtualThreadCount", this.virtualThreadCount);
			json.put("groupCount", this.groupCount);
			json.put("grouped", this.grouped);
			json.put("tookMillis", tookMillis());
			json.put("truncated", omittedGroups > 0);
			json.put("omittedGroups", omittedGroups);
			json.put("omittedThreads", omittedThreads);
			if (omittedGroups > 0) {
				json.put("hint", MAX_SIZE_HINT);
			}
			if (this.virtualThreadsOmitted != null) {
				json.put("virtualThreadsOmitted", this.virtualThreadsOmitted);
			}
			json.put("stacks", stacks);
			return json;
		}

		private double tookMillis() {
			return Math.round(this.took.toNanos() / 100_000.0) / 10.0;
		}

	}

}
