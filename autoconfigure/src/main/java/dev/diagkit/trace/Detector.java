package dev.diagkit.trace;

import java.util.List;

/**
 * Looks for one pattern in a trace.
 */
interface Detector {

	/**
	 * Returns what the trace shows of the pattern.
	 * @param trace the trace
	 * @return the findings, none when the pattern is absent
	 */
	List<Finding> detect(RecordedTrace trace);

	static String millis(long nanos) {
		double ms = nanos / 1_000_000.0;
		return (ms >= 100) ? String.format(java.util.Locale.ROOT, "%.0f ms", ms)
				: String.format(java.util.Locale.ROOT, "%.1f ms", ms);
	}

	static double ms(long nanos) {
		return Math.round(nanos / 10_000.0) / 100.0;
	}

	static String percent(double share) {
		return Math.round(share * 100) + "%";
	}

}
