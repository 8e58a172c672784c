package dev.diagkit.capacity;

import java.util.Locale;

/**
 * How a budget stands.
 */
public enum Verdict {

	/** Within the threshold. */
	OK,

	/** Over the warning threshold: act before it becomes critical. */
	WARN,

	/** Over the critical threshold: the service is short of the resource now. */
	CRITICAL,

	/** No samples yet, or the input is not available on this platform. */
	UNKNOWN,

	/**
	 * Samples cover less time than a verdict needs: what was seen so far is reported, not
	 * judged.
	 */
	INSUFFICIENT_DATA;

	/**
	 * Returns the lower-case name used in reports.
	 * @return such as {@code warn}, or {@code insufficient data}
	 */
	public String label() {
		return name().toLowerCase(Locale.ROOT).replace('_', ' ');
	}

	/**
	 * Returns whether this is a judgement: ok, warn or critical.
	 * @return whether the verdict is known
	 */
	public boolean known() {
		return this == OK || this == WARN || this == CRITICAL;
	}

	/**
	 * Returns the worse of two verdicts; a known verdict is worse than {@link #UNKNOWN}.
	 * @param other the other verdict
	 * @return the worse one
	 */
	public Verdict worse(Verdict other) {
		if (!known()) {
			return (other.known() || this == UNKNOWN) ? other : this;
		}
		if (!other.known()) {
			return this;
		}
		return (other.ordinal() > ordinal()) ? other : this;
	}

	/**
	 * Judges a value against its thresholds: above {@code critical} is critical, above
	 * {@code warn} is a warning.
	 * @param value the value, NaN when unknown
	 * @param warn the warning threshold
	 * @param critical the critical threshold
	 * @return the verdict
	 */
	public static Verdict of(double value, double warn, double critical) {
		if (Double.isNaN(value)) {
			return UNKNOWN;
		}
		if (value > critical) {
			return CRITICAL;
		}
		return (value > warn) ? WARN : OK;
	}

}
