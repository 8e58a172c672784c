package dev.diagkit.trace;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Latency spikes that follow garbage collection: the slowest tasks (the slowest 5%) overlap
 * a collection far more often than tasks do in general.
 */
final class GcLatencyDetector implements Detector {

	/** Fewer tasks than this say nothing about a tail. */
	static final int MIN_TASKS = 20;

	/** Collections that paused less than this do not slow a request noticeably. */
	static final long MIN_PAUSE_NANOS = 1_000_000;

	@Override
	public List<Finding> detect(RecordedTrace trace) {
		List<RecordedTrace.Collection> pausing = new ArrayList<>();
		for (RecordedTrace.Collection collection : trace.collections) {
			if (collection.longestPause() >= MIN_PAUSE_NANOS) {
				pausing.add(collection);
			}
		}
		if (trace.tasks.size() < MIN_TASKS || pausing.isEmpty()) {
			return List.of();
		}
		long[] durations = trace.tasks.stream().mapToLong(RecordedTrace.Task::duration).sorted().toArray();
		long slowFrom = durations[(int) Math.ceil(durations.length * 0.95) - 1];
		long median = durations[durations.length / 2];
		if (slowFrom < 2 * median) {
			return List.of();
		}
		int slow = 0;
		int slowOverlapping = 0;
		int overlapping = 0;
		for (RecordedTrace.Task task : trace.tasks) {
			boolean overlaps = overlaps(task, pausing);
			if (overlaps) {
				overlapping++;
			}
			if (task.duration() >= slowFrom) {
				slow++;
				if (overlaps) {
					slowOverlapping++;
				}
			}
		}
		double slowShare = (double) slowOverlapping / slow;
		double allShare = (double) overlapping / trace.tasks.size();
		if (slowShare < 0.5 || slowShare < 2 * allShare) {
			return List.of();
		}
		Map<String, Object> evidence = new LinkedHashMap<>();
		evidence.put("tasks", trace.tasks.size());
		evidence.put("medianMs", Detector.ms(median));
		evidence.put("slowFromMs", Detector.ms(slowFrom));
		evidence.put("slowTasks", slow);
		evidence.put("slowTasksDuringGc", slowOverlapping);
		evidence.put("shareOfSlowTasksDuringGc", LabelShares.round(slowShare));
		evidence.put("shareOfAllTasksDuringGc", LabelShares.round(allShare));
		evidence.put("pausingCollections", pausing.size());
		String summary = slowOverlapping + " of the " + slow + " slowest tasks (" + Detector.millis(slowFrom)
				+ " and more, against a median of " + Detector.millis(median) + ") ran during a garbage collection, "
				+ "against " + Detector.percent(allShare) + " of all tasks: the tail latency is the collector's.";
		return List.of(new Finding("gc-latency", "Latency spikes during garbage collection", Finding.Severity.WARNING,
				(int) Math.min(100, 40 + 50 * slowShare), summary, evidence,
				"Make collections rarer and shorter: allocate less (an allocation profile shows who allocates), give "
						+ "the heap more room, or use a collector with shorter pauses (ZGC). The gc-pauses finding and "
						+ "the capacity report's gc budget say how long they are."));
	}

	private static boolean overlaps(RecordedTrace.Task task, List<RecordedTrace.Collection> collections) {
		for (RecordedTrace.Collection collection : collections) {
			if (collection.start() < task.end() && collection.end() > task.start()) {
				return true;
			}
		}
		return false;
	}

}
