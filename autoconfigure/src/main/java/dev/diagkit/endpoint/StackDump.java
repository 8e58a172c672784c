package dev.diagkit.endpoint;

import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import dev.diagkit.labels.LabelSet;
import org.jspecify.annotations.Nullable;

/**
 * Takes the stack of every thread and groups the threads that are in the same state with
 * the same stack, each group with its thread names and the labels its threads carry: the
 * engine behind {@code GET /actuator/diag/stacks}, in the manner of Go's goroutine profile
 * ({@code debug=1} groups, {@code debug=2} lists every goroutine). {@link StackReport}
 * renders a dump within a size limit.
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
 * A thread that ends while the dump is taken is simply absent. Instances are immutable and
 * may be shared; each {@link #capture} takes a new dump.
 */
public final class StackDump {

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

	private final VirtualThreadDump virtualThreadDump;

	/**
	 * Creates a stack dump.
	 * @param threadMXBean the thread bean to dump, usually
	 * {@link java.lang.management.ManagementFactory#getThreadMXBean()}
	 * @param labelsByThreadId the labels of labelled threads by thread id, for example from
	 * {@link dev.diagkit.labels.LabelRegistry#threads()}; threads not in it count as carrying
	 * no labels
	 */
	public StackDump(ThreadMXBean threadMXBean, Map<Long, LabelSet> labelsByThreadId) {
		this(threadMXBean, labelsByThreadId, VirtualThreadDump.create());
	}

	StackDump(ThreadMXBean threadMXBean, Map<Long, LabelSet> labelsByThreadId, VirtualThreadDump virtualThreadDump) {
		this.threadMXBean = Objects.requireNonNull(threadMXBean, "threadMXBean must not be null");
		this.labelsByThreadId = Objects.requireNonNull(labelsByThreadId, "labelsByThreadId must not be null");
		this.virtualThreadDump = virtualThreadDump;
	}

	/**
	 * Takes the dump: pauses the JVM at a safepoint while every platform thread's stack is
	 * taken, then (JDK 21+) dumps the virtual threads.
	 * @param group whether to group threads by state and stack ({@code true}, the default of
	 * the endpoint) or to list every thread on its own
	 * @return the dump
	 */
	public Snapshot capture(boolean group) {
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
		return new Snapshot(group, groups, threads.size(), virtual.threads().size(), took, virtual.omittedReason());
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

	private record StackKey(boolean virtual, @Nullable String container, Thread.@Nullable State state,
			List<String> frames) {
	}

	/**
	 * The threads of one dump, grouped or not, largest group first.
	 *
	 * @param grouped whether threads were grouped by state and stack ({@code false}: one
	 * group per thread)
	 * @param groups the groups, largest first, then by first thread name
	 * @param threadCount how many threads the dump saw, virtual ones included
	 * @param virtualThreadCount how many of them are virtual threads
	 * @param took how long the dump took
	 * @param virtualThreadsOmitted why virtual threads are not included although the JVM may
	 * have some (for example, Jackson is not on the class path), or {@code null}
	 */
	public record Snapshot(boolean grouped, List<StackGroup> groups, int threadCount, int virtualThreadCount,
			Duration took, @Nullable String virtualThreadsOmitted) {

		/**
		 * Creates a snapshot; the groups are copied.
		 */
		public Snapshot {
			groups = List.copyOf(groups);
		}

	}

}
