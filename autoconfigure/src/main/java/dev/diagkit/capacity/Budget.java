package dev.diagkit.capacity;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One budget of a {@link CapacityReport}.
 *
 * @param verdict how the budget stands
 * @param rule what is compared with what, in words
 * @param warn the warning threshold of the compared value
 * @param critical the critical threshold of the compared value
 * @param unit the unit of the compared value and its thresholds
 * @param value the compared value, NaN when unknown
 * @param recommendation one line on what to do
 * @param figures the inputs behind the value: statistics per window and single figures
 */
public record Budget(Verdict verdict, String rule, double warn, double critical, String unit, double value,
		String recommendation, Map<String, Object> figures) {

	/**
	 * Renders the budget for a JSON writer.
	 * @return {@code verdict}, {@code value}, {@code threshold} (rule, warn, critical,
	 * unit), {@code recommendation} and the figures
	 */
	public Map<String, Object> toJson() {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("verdict", this.verdict.label());
		json.put("value", CapacityText.number(this.value));
		Map<String, Object> threshold = new LinkedHashMap<>();
		threshold.put("rule", this.rule);
		threshold.put("warn", CapacityText.number(this.warn));
		threshold.put("critical", CapacityText.number(this.critical));
		threshold.put("unit", this.unit);
		json.put("threshold", threshold);
		json.put("recommendation", this.recommendation);
		json.putAll(this.figures);
		return json;
	}

}
