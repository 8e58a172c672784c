package dev.diagkit.runtime;

import java.time.Duration;

/**
 * How diagkit writes a duration for people and in its answers: in the largest of hours,
 * minutes, seconds and milliseconds that holds it exactly ({@code 1h}, {@code 90s},
 * {@code 1500ms}), in nanoseconds below a millisecond, and as ISO-8601 past a year. Spring
 * Boot reads every one of these forms back.
 */
public final class DurationFormat {

	private static final Duration ONE_YEAR = Duration.ofDays(365);

	private DurationFormat() {
	}

	/**
	 * Writes a duration.
	 * @param duration the duration
	 * @return such as {@code 10m}, {@code 5s}, {@code 20ms} or {@code 0s}
	 */
	public static String format(Duration duration) {
		if (duration.abs().compareTo(ONE_YEAR) > 0) {
			// past a year nobody asks for this: say it as ISO-8601, which cannot overflow
			return duration.toString();
		}
		if (duration.toNanosPart() % 1_000_000 != 0) {
			return duration.toNanos() + "ns";
		}
		long millis = duration.toMillis();
		if (millis % 3_600_000 == 0 && millis != 0) {
			return (millis / 3_600_000) + "h";
		}
		if (millis % 60_000 == 0 && millis != 0) {
			return (millis / 60_000) + "m";
		}
		if (millis % 1000 == 0) {
			return (millis / 1000) + "s";
		}
		return millis + "ms";
	}

}
