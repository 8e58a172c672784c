package dev.diagkit.trace;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One thing the analysis of a trace found, with what shows it and what to do about it.
 *
 * @param id what kind of finding it is, stable across releases (such as {@code gc-pauses})
 * @param title a short title
 * @param severity how much it matters
 * @param score 0 to 100, larger is worse; findings are sorted by it
 * @param summary one or two sentences, with the figures
 * @param evidence the figures, frames, threads and label breakdowns behind it
 * @param recommendation what to do
 */
public record Finding(String id, String title, Severity severity, int score, String summary,
		Map<String, Object> evidence, String recommendation) {

	/**
	 * Returns the finding as JSON-ready maps.
	 * @return the finding
	 */
	public Map<String, Object> toMap() {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("id", this.id);
		map.put("title", this.title);
		map.put("severity", this.severity.toString());
		map.put("score", this.score);
		map.put("summary", this.summary);
		map.put("evidence", this.evidence);
		map.put("recommendation", this.recommendation);
		return map;
	}

	/** How much a finding matters. */
	public enum Severity {

		/** Worth knowing; nothing is wrong. */
		INFO,

		/** Costs latency or capacity now. */
		WARNING,

		/** Costs a lot, or will. */
		CRITICAL;

		@Override
		public String toString() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

}
