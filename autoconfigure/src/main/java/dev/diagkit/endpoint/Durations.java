package dev.diagkit.endpoint;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Reads and writes the short duration form used in diag parameters: {@code 500ms},
 * {@code 5s}, {@code 2m}, {@code 1h}, or ISO-8601.
 */
final class Durations {

	private static final Pattern SIMPLE = Pattern.compile("(\\d{1,9})(ns|us|ms|s|m|h)");

	private Durations() {
	}

	static @Nullable Duration parse(String value) {
		String text = value.trim().toLowerCase(Locale.ROOT);
		Matcher m = SIMPLE.matcher(text);
		if (m.matches()) {
			long amount = Long.parseLong(m.group(1));
			return switch (m.group(2)) {
				case "ns" -> Duration.ofNanos(amount);
				case "us" -> Duration.ofNanos(amount * 1000);
				case "ms" -> Duration.ofMillis(amount);
				case "s" -> Duration.ofSeconds(amount);
				case "m" -> Duration.ofMinutes(amount);
				default -> Duration.ofHours(amount);
			};
		}
		try {
			return Duration.parse(value.trim().toUpperCase(Locale.ROOT));
		}
		catch (DateTimeParseException ex) {
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
