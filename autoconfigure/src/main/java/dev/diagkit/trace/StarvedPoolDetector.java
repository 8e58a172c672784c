package dev.diagkit.trace;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A pool whose tasks wait in its queue while its workers are blocked (on sockets, files,
 * sleeps, locks) rather than busy: it is too small for blocking work, and adding CPU will not
 * help. Needs diagkit's queue-wait events, written for the executors its decorators cover.
 */
final class StarvedPoolDetector implements Detector {

	/** Tasks whose queue wait reaches this at the 90th percentile wait too long. */
	static final long MIN_P90_WAIT_NANOS = 10_000_000;

	/** Workers blocked at least this share of the recording are blocked, not busy. */
	static final double MIN_BLOCKED_SHARE = 0.5;

	static final int MIN_TASKS = 10;

	@Override
	public List<Finding> detect(RecordedTrace trace) {
		Map<String, List<RecordedTrace.QueueWait>> byExecutor = new TreeMap<>();
		for (RecordedTrace.QueueWait wait : trace.queueWaits) {
			byExecutor.computeIfAbsent(wait.executor(), (name) -> new ArrayList<>()).add(wait);
		}
		List<Finding> findings = new ArrayList<>();
		byExecutor.forEach((executor, waits) -> {
			if (waits.size() < MIN_TASKS || trace.length() <= 0) {
				return;
			}
			long[] sorted = waits.stream().mapToLong(RecordedTrace.QueueWait::waited).sorted().toArray();
			long p90 = sorted[(int) Math.ceil(sorted.length * 0.9) - 1];
			if (p90 < MIN_P90_WAIT_NANOS) {
				return;
			}
			Set<Long> workers = new HashSet<>();
			for (RecordedTrace.QueueWait wait : waits) {
				workers.add(wait.threadId());
			}
			Map<String, Long> kinds = new HashMap<>();
			long blocked = 0;
			for (long worker : workers) {
				for (Map.Entry<String, Long> kind : trace.blockedWithin(worker).entrySet()) {
					kinds.merge(kind.getKey(), kind.getValue(), Long::sum);
					blocked += kind.getValue();
				}
			}
			double share = Math.min(1, (double) blocked / (workers.size() * (double) trace.length()));
			if (share < MIN_BLOCKED_SHARE) {
				return;
			}
			long blockedTotal = blocked;
			Map<String, Object> blockedBy = new LinkedHashMap<>();
			kinds.entrySet()
				.stream()
				.sorted(Map.Entry.<String, Long>comparingByValue().reversed())
				.forEach((kind) -> blockedBy.put(kind.getKey(), LabelShares.round((double) kind.getValue() / blockedTotal)));
			long total = Arrays.stream(sorted).sum();
			Map<String, Object> evidence = new LinkedHashMap<>();
			evidence.put("executor", executor);
			evidence.put("tasks", sorted.length);
			evidence.put("meanWaitMs", Detector.ms(total / sorted.length));
			evidence.put("p90WaitMs", Detector.ms(p90));
			evidence.put("maxWaitMs", Detector.ms(sorted[sorted.length - 1]));
			evidence.put("workers", workers.size());
			evidence.put("workersBlockedShare", LabelShares.round(share));
			evidence.put("blockedBy", blockedBy);
			String summary = "Tasks of " + executor + " waited " + Detector.millis(p90) + " or more in its queue (one in "
					+ "ten; " + sorted.length + " tasks, the longest " + Detector.millis(sorted[sorted.length - 1])
					+ ") while its " + workers.size() + " workers were blocked " + Detector.percent(share)
					+ " of the time, mostly in " + blockedBy.keySet().iterator().next() + ".";
			findings.add(new Finding("starved-pool", "A pool's workers are blocked while its queue waits",
					(share >= 0.8 && p90 >= 10 * MIN_P90_WAIT_NANOS) ? Finding.Severity.CRITICAL : Finding.Severity.WARNING,
					(int) Math.min(100, 40 + 60 * share * Math.min(1, p90 / (10.0 * MIN_P90_WAIT_NANOS))), summary,
					evidence,
					"The pool is too small for blocking work: more CPU will not help. Give it more workers (or run its "
							+ "tasks on virtual threads), make the blocking calls asynchronous, or move them to a pool of "
							+ "their own; bound its queue so callers feel the back-pressure. The executor's queue-wait "
							+ "metric (diagkit.executor.queue.wait) shows when it starts."));
		});
		return findings;
	}

}
