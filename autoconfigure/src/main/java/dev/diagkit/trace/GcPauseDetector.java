package dev.diagkit.trace;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Garbage collections that paused the application longer than the collector's pause
 * target ({@code -XX:MaxGCPauseMillis}; 200 ms when the collector has none).
 */
final class GcPauseDetector implements Detector {

	static final Duration DEFAULT_TARGET = Duration.ofMillis(200);

	@Override
	public List<Finding> detect(RecordedTrace trace) {
		if (trace.collections.isEmpty()) {
			return List.of();
		}
		long target = ((trace.pauseTarget != null) ? trace.pauseTarget : DEFAULT_TARGET).toNanos();
		int over = 0;
		long worst = 0;
		long paused = 0;
		Map<String, Integer> causes = new TreeMap<>();
		for (RecordedTrace.Collection collection : trace.collections) {
			paused += collection.sumOfPauses();
			worst = Math.max(worst, collection.longestPause());
			if (collection.longestPause() > target) {
				over++;
				causes.merge(collection.name() + " (" + collection.cause() + ")", 1, Integer::sum);
			}
		}
		if (over == 0) {
			return List.of();
		}
		double share = (trace.length() > 0) ? (double) paused / trace.length() : 0;
		boolean critical = worst > 2 * target || share > 0.05;
		Map<String, Object> evidence = new LinkedHashMap<>();
		evidence.put("collector", (trace.collector != null) ? trace.collector : "unknown");
		evidence.put("pauseTargetMs", Detector.ms(target));
		evidence.put("pauseTargetFrom", (trace.pauseTarget != null) ? "collector" : "default");
		evidence.put("collections", trace.collections.size());
		evidence.put("overTarget", over);
		evidence.put("worstPauseMs", Detector.ms(worst));
		evidence.put("totalPauseMs", Detector.ms(paused));
		evidence.put("pauseShare", LabelShares.round(share));
		evidence.put("collectionsOverTarget", causes);
		String summary = over + " of " + trace.collections.size() + " garbage collections paused the application longer "
				+ "than the " + Detector.millis(target) + " pause target (worst " + Detector.millis(worst)
				+ "); pauses took " + Detector.percent(share) + " of the recording.";
		return List.of(new Finding("gc-pauses", "GC pauses over the pause target",
				critical ? Finding.Severity.CRITICAL : Finding.Severity.WARNING,
				(int) Math.min(100, 40 + 30.0 * worst / target), summary, evidence,
				"Allocate less: an allocation profile (/actuator/diag/profile?type=alloc, focus by tenant or endpoint) "
						+ "shows who allocates. Give the heap more room (-Xmx, or the adaptive heap target's base) so "
						+ "collections are rarer, and check the capacity report's gc budget. With G1 on a large heap, "
						+ "ZGC (-XX:+UseZGC) keeps pauses under a millisecond."));
	}

}
