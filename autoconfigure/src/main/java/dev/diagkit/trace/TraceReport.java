package dev.diagkit.trace;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the analysis of a trace found: its findings, worst first, and the figures of its tasks
 * and timed methods.
 *
 * @param from when the trace begins
 * @param to when it ends
 * @param source where the trace came from ({@code capture} for one recorded for the
 * analysis)
 * @param analysers what looked at it: {@code diagkit}'s detectors, and {@code jmc-rules}
 * when JDK Mission Control's rules ran
 * @param findings the findings, worst first
 * @param tasks per task name: count, mean, p99 and maximum duration
 * @param methods per timed method: the same, and per tenant and endpoint
 * @param counts how many events of each kind the analysis read
 */
public record TraceReport(Instant from, Instant to, String source, List<String> analysers, List<Finding> findings,
		Map<String, Map<String, Object>> tasks, Map<String, Map<String, Object>> methods, Map<String, Integer> counts) {

	/**
	 * Returns the report as JSON-ready maps.
	 * @return the report
	 */
	public Map<String, Object> toMap() {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("from", this.from.toString());
		map.put("to", this.to.toString());
		map.put("source", this.source);
		map.put("analysers", this.analysers);
		List<Map<String, Object>> findings = new ArrayList<>();
		for (Finding finding : this.findings) {
			findings.add(finding.toMap());
		}
		map.put("findings", findings);
		map.put("tasks", this.tasks);
		map.put("methods", this.methods);
		map.put("events", this.counts);
		return map;
	}

	/**
	 * Returns the report as plain text, for a terminal.
	 * @return the text
	 */
	public String toText() {
		StringBuilder text = new StringBuilder();
		text.append("Trace analysis ").append(this.from).append(" to ").append(this.to).append(" (").append(this.source)
			.append(")\n");
		text.append("Read: ").append(this.counts).append("; analysed by ").append(String.join(", ", this.analysers))
			.append("\n\n");
		if (this.findings.isEmpty()) {
			text.append("No findings: nothing in this trace matches a pattern the analysis looks for.\n");
		}
		for (Finding finding : this.findings) {
			text.append('[').append(finding.severity()).append(", score ").append(finding.score()).append("] ")
				.append(finding.title()).append(" (").append(finding.id()).append(")\n");
			text.append("  ").append(finding.summary()).append('\n');
			text.append("  What to do: ").append(finding.recommendation()).append('\n');
			finding.evidence().forEach((key, value) -> text.append("  ").append(key).append(": ").append(value).append('\n'));
			text.append('\n');
		}
		if (!this.tasks.isEmpty()) {
			text.append("Tasks (count, mean, p99, max):\n");
			this.tasks.forEach((name, stats) -> text.append("  ").append(name).append(": ").append(stats).append('\n'));
		}
		if (!this.methods.isEmpty()) {
			text.append("Timed methods:\n");
			this.methods.forEach((name, stats) -> text.append("  ").append(name).append(": ").append(stats).append('\n'));
		}
		return text.toString();
	}

}
