package dev.diagkit.endpoint;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.convert.DurationStyle;

/**
 * Reads and writes the duration form of diag parameters and answers: {@code 500ms},
 * {@code 5s}, {@code 2m}, {@code 1h}, or ISO-8601.
 */
final class Durations {

	private Durations() {
	}

	/**
	 * Reads a duration as Spring Boot reads duration properties: {@code 500ms}, {@code 5s},
	 * {@code 2m}, {@code 1h}, a bare number of milliseconds, or ISO-8601 such as
	 * {@code PT5S}.
	 * @return the duration, or {@code null} when the text is none of these
	 */
	static @Nullable Duration parse(String value) {
		try {
			return DurationStyle.detectAndParse(value.trim());
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	static String format(Duration duration) {
		if (duration.compareTo(Duration.ofDays(365)) > 0) {
			// past a year nobody asks for this: say it as ISO-8601, which cannot overflow
			return duration.toString();
		}
		if (duration.toNanosPart() % 1_000_000 != 0) {
			return duration.toNanos() + "ns";
		}
		long millis = duration.toMillis();
		if (millis % 3_600_000 == 0 && millis > 0) {
			return (millis / 3_600_000) + "h";
		}
		if (millis % 60_000 == 0 && millis > 0) {
			return (millis / 60_000) + "m";
		}
		if (millis % 1000 == 0) {
			return (millis / 1000) + "s";
		}
		return millis + "ms";
	}

}
