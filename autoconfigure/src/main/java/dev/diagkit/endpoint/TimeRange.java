package dev.diagkit.endpoint;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

import dev.diagkit.runtime.DurationFormat;
import org.jspecify.annotations.Nullable;

/**
 * A range of time given by a caller as {@code from} and {@code to}: ISO-8601 instants
 * ({@code 2026-12-01T08:00:00Z}), {@code now}, or durations before now ({@code -6h},
 * {@code -30m}, {@code -7d}).
 *
 * @param from the start, inclusive
 * @param to the end, exclusive
 */
public record TimeRange(Instant from, Instant to) {

	/**
	 * Reads a range from a call's parameters.
	 * @param request the call
	 * @param defaultFrom the start when {@code from} is absent, before now
	 * @param longest the longest range accepted
	 * @param now the present
	 * @return the range
	 * @throws InvalidParameterException if a parameter is malformed, the range is empty or
	 * longer than {@code longest}
	 */
	public static TimeRange of(DiagRequest request, Duration defaultFrom, Duration longest, Instant now) {
		Instant to = instant("to", request.get("to"), now, now);
		Instant from = instant("from", request.get("from"), now.minus(defaultFrom), now);
		if (!from.isBefore(to)) {
			throw new InvalidParameterException("'from' (" + from + ") must be before 'to' (" + to + ")");
		}
		if (Duration.between(from, to).compareTo(longest) > 0) {
			throw new InvalidParameterException("The range from " + from + " to " + to + " is longer than the "
					+ ((longest.toHours() % 24 == 0) ? longest.toDays() + " days" : DurationFormat.format(longest)) + " a call may merge; ask for a shorter one");
		}
		return new TimeRange(from, to);
	}

	/**
	 * Returns the same range shifted back.
	 * @param by how far back
	 * @return the earlier range
	 */
	public TimeRange minus(Duration by) {
		return new TimeRange(this.from.minus(by), this.to.minus(by));
	}

	private static Instant instant(String name, @Nullable String value, Instant defaultValue, Instant now) {
		if (value == null) {
			return defaultValue;
		}
		String text = value.trim();
		if (text.equalsIgnoreCase("now")) {
			return now;
		}
		if (text.startsWith("-")) {
			Duration ago = DiagRequest.parse(text.substring(1));
			if (ago == null || ago.isNegative()) {
				throw invalid(name, value);
			}
			return now.minus(ago);
		}
		try {
			return Instant.parse(text);
		}
		catch (DateTimeParseException ex) {
			throw invalid(name, value);
		}
	}

	private static InvalidParameterException invalid(String name, String value) {
		return new InvalidParameterException("'" + name + "' must be an ISO-8601 instant such as 2026-12-01T08:00:00Z, "
				+ "'now', or a duration before now such as -6h, -30m or -7d; was '" + value + "'");
	}

}
