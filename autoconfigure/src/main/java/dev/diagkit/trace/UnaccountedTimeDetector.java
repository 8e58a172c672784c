package dev.diagkit.trace;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tasks that spend most of their time outside any of their regions: work that nobody
 * marked, usually a wait (I/O, a lock, a sleep) or a step that was never instrumented. Only
 * tasks with at least one region count: a task without any says nothing about its parts;
 * and only 5 ms or more outside regions is worth one.
 */
final class UnaccountedTimeDetector implements Detector {

	/**
	 * Less unaccounted time than this in a task is not worth a region: a request of a few
	 * milliseconds spends most of them in the framework.
	 */
	static final long MIN_UNACCOUNTED_NANOS = 5_000_000;

	/** Below this share of the tasks judged, flagged tasks are information, not a warning. */
	static final double MIN_FLAGGED_SHARE = 0.2;

	/** How many task names are listed at most. */
	static final int TOP = 5;

	private final double threshold;

	UnaccountedTimeDetector(double threshold) {
		this.threshold = threshold;
	}

	@Override
	public List<Finding> detect(RecordedTrace trace) {
		Map<Long, List<RecordedTrace.Region>> regions = new HashMap<>();
		for (RecordedTrace.Region region : trace.regions) {
			if (region.taskId() != 0) {
				regions.computeIfAbsent(region.taskId(), (id) -> new ArrayList<>()).add(region);
			}
		}
		Map<Long, List<RecordedTrace.Sample>> samplesByThread = new HashMap<>();
		for (RecordedTrace.Sample sample : trace.samples) {
			samplesByThread.computeIfAbsent(sample.threadId(), (id) -> new ArrayList<>()).add(sample);
		}
		samplesByThread.values().forEach((samples) -> samples.sort(Comparator.comparingLong(RecordedTrace.Sample::at)));
		Map<String, Group> groups = new HashMap<>();
		int instrumented = 0;
		int flagged = 0;
		for (RecordedTrace.Task task : trace.tasks) {
			List<RecordedTrace.Region> own = regions.get(task.id());
			if (own == null || task.duration() <= 0) {
				continue;
			}
			instrumented++;
			double unaccounted = 1 - (double) covered(task, own) / task.duration();
			Group group = groups.computeIfAbsent(task.name(), Group::new);
			group.tasks++;
			if (unaccounted >= this.threshold && unaccounted * task.duration() >= MIN_UNACCOUNTED_NANOS) {
				flagged++;
				group.add(task, unaccounted);
				// only a task that ran on one thread (started and ended there) owns that thread's samples
				if (task.startThreadId() == task.threadId()) {
					group.outside(task, own, samplesByThread.getOrDefault(task.threadId(), List.of()), trace);
				}
			}
		}
		if (flagged == 0) {
			return List.of();
		}
		List<Group> worst = new ArrayList<>(groups.values());
		worst.removeIf((group) -> group.flagged == 0);
		worst.sort(Comparator.comparingDouble(Group::unaccountedTime).reversed());
		List<Map<String, Object>> listed = new ArrayList<>();
		double shareSum = 0;
		for (Group group : worst) {
			shareSum += group.shareSum;
		}
		for (Group group : worst.subList(0, Math.min(TOP, worst.size()))) {
			listed.add(group.toMap());
		}
		Group first = worst.get(0);
		double meanShare = shareSum / flagged;
		Map<String, Object> evidence = new LinkedHashMap<>();
		evidence.put("threshold", this.threshold);
		evidence.put("instrumentedTasks", instrumented);
		evidence.put("flaggedTasks", flagged);
		evidence.put("tasks", listed);
		String summary = flagged + " of " + instrumented + " tasks with regions spent at least "
				+ Detector.percent(this.threshold) + " of their time outside any region; the worst is " + first.name + " ("
				+ first.flagged + " tasks, " + Detector.percent(first.shareSum / first.flagged) + " unaccounted, "
				+ Detector.millis(first.durationSum / first.flagged) + " on average)" + first.whatItDid() + ".";
		// a few slow tasks among many (a collection, the scheduler) are worth knowing, not a warning
		double flaggedShare = (double) flagged / instrumented;
		return List.of(new Finding("unaccounted-time", "Task time outside any region",
				(flaggedShare >= MIN_FLAGGED_SHARE) ? Finding.Severity.WARNING : Finding.Severity.INFO,
				(int) Math.round(Math.min(100, meanShare * 80 * Math.sqrt(flaggedShare))), summary, evidence,
				"Mark the steps these tasks take with DiagTrace.region(...) to see which one takes the time. Time "
						+ "spent waiting (socket reads, locks, parks, sleeps) appears in the trace as the JDK's own events "
						+ "on the task's threads, between its regions; CPU appears in a profile focused on the endpoint "
						+ "(/actuator/diag/profile?focus=endpoint=…)."));
	}

	/** How much of the task's span its regions cover, on all its threads together. */
	private static long covered(RecordedTrace.Task task, List<RecordedTrace.Region> regions) {
		List<long[]> spans = new ArrayList<>(regions.size());
		for (RecordedTrace.Region region : regions) {
			long start = Math.max(region.start(), task.start());
			long end = Math.min(region.end(), task.end());
			if (end > start) {
				spans.add(new long[] { start, end });
			}
		}
		spans.sort(Comparator.comparingLong((long[] span) -> span[0]));
		long covered = 0;
		long reached = Long.MIN_VALUE;
		for (long[] span : spans) {
			long from = Math.max(span[0], reached);
			if (span[1] > from) {
				covered += span[1] - from;
				reached = span[1];
			}
		}
		return covered;
	}

	/** The tasks of one name. */
	private static final class Group {

		private final String name;

		private int tasks;

		private int flagged;

		private double shareSum;

		private long durationSum;

		private long worstId;

		private double worstShare = -1;

		private final Map<String, Integer> frames = new HashMap<>();

		private int samples;

		private final Map<String, Long> blocked = new HashMap<>();

		Group(String name) {
			this.name = name;
		}

		void add(RecordedTrace.Task task, double unaccounted) {
			this.flagged++;
			this.shareSum += unaccounted;
			this.durationSum += task.duration();
			if (unaccounted > this.worstShare) {
				this.worstShare = unaccounted;
				this.worstId = task.id();
			}
		}

		/**
		 * Counts what the task's own thread did outside its regions: CPU samples by their top
		 * frames, and blocking by kind.
		 */
		void outside(RecordedTrace.Task task, List<RecordedTrace.Region> regions, List<RecordedTrace.Sample> samples,
				RecordedTrace trace) {
			for (int i = firstAtOrAfter(samples, task.start()); i < samples.size(); i++) {
				RecordedTrace.Sample sample = samples.get(i);
				if (sample.at() >= task.end()) {
					break;
				}
				if (!inAny(sample.at(), regions)) {
					this.frames.merge(sample.top(), 1, Integer::sum);
					this.samples++;
				}
			}
			for (RecordedTrace.Blocked stretch : trace.blocked.getOrDefault(task.threadId(), List.of())) {
				long from = Math.max(stretch.start(), task.start());
				long to = Math.min(stretch.end(), task.end());
				if (to > from && !inAny(from, regions)) {
					this.blocked.merge(stretch.kind(), to - from, Long::sum);
				}
			}
		}

		/** The index of the first sample at or after {@code at}, in samples sorted by time. */
		private static int firstAtOrAfter(List<RecordedTrace.Sample> samples, long at) {
			int low = 0;
			int high = samples.size();
			while (low < high) {
				int mid = (low + high) >>> 1;
				if (samples.get(mid).at() < at) {
					low = mid + 1;
				}
				else {
					high = mid;
				}
			}
			return low;
		}

		private static boolean inAny(long at, List<RecordedTrace.Region> regions) {
			for (RecordedTrace.Region region : regions) {
				if (at >= region.start() && at < region.end()) {
					return true;
				}
			}
			return false;
		}

		double unaccountedTime() {
			return this.shareSum * this.durationSum / Math.max(1, this.flagged);
		}

		/** Says what most of the time outside regions went to, when the trace shows it. */
		String whatItDid() {
			Map.Entry<String, Integer> hottest = this.frames.entrySet()
				.stream()
				.max(Map.Entry.comparingByValue())
				.orElse(null);
			Map.Entry<String, Long> blockedMost = this.blocked.entrySet()
				.stream()
				.max(Map.Entry.comparingByValue())
				.orElse(null);
			StringBuilder text = new StringBuilder();
			if (hottest != null && this.samples >= 10) {
				text.append("; outside its regions ").append(Detector.percent((double) hottest.getValue() / this.samples))
					.append(" of its CPU samples are in ").append(hottest.getKey());
			}
			if (blockedMost != null) {
				text.append(text.isEmpty() ? "; outside its regions it was blocked in " : ", and it was blocked in ")
					.append(blockedMost.getKey())
					.append(" for ")
					.append(Detector.millis(blockedMost.getValue() / this.flagged))
					.append(" a task");
			}
			return text.toString();
		}

		Map<String, Object> toMap() {
			Map<String, Object> map = new LinkedHashMap<>();
			map.put("name", this.name);
			map.put("tasks", this.tasks);
			map.put("flagged", this.flagged);
			map.put("meanUnaccounted", LabelShares.round(this.shareSum / this.flagged));
			map.put("meanDurationMs", Detector.ms(this.durationSum / this.flagged));
			map.put("exampleTaskId", this.worstId);
			Map<String, Object> outside = new LinkedHashMap<>();
			outside.put("cpuSamples", this.samples);
			List<Map<String, Object>> hottest = new ArrayList<>();
			this.frames.entrySet()
				.stream()
				.sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
				.limit(3)
				.forEach((frame) -> {
					Map<String, Object> entry = new LinkedHashMap<>();
					entry.put("frames", frame.getKey());
					entry.put("share", LabelShares.round((double) frame.getValue() / this.samples));
					hottest.add(entry);
				});
			outside.put("hottestFrames", hottest);
			Map<String, Object> blockedMs = new LinkedHashMap<>();
			this.blocked.entrySet()
				.stream()
				.sorted(Map.Entry.<String, Long>comparingByValue().reversed())
				.forEach((kind) -> blockedMs.put(kind.getKey(), Detector.ms(kind.getValue())));
			outside.put("blockedMs", blockedMs);
			map.put("outsideRegions", outside);
			return map;
		}

	}

}
