package dev.diagkit.autoconfigure;

import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Pattern;

import dev.diagkit.runtime.DurationFormat;
import org.jspecify.annotations.Nullable;

import org.springframework.validation.Errors;

/**
 * The checks the properties classes run when they are bound: each rejects the field with a
 * message that says what is accepted and what was given, which Spring Boot's failure
 * analysis shows with the property's name.
 */
final class PropertyChecks {

	private static final Pattern CAMEL_HUMP = Pattern.compile("([a-z0-9])([A-Z])");

	private final Errors errors;

	PropertyChecks(Errors errors) {
		this.errors = errors;
	}

	void atLeast(String field, long value, long min) {
		if (value < min) {
			reject(field, "must be at least " + min + ", was " + value);
		}
	}

	void between(String field, long value, long min, long max) {
		if (value < min || value > max) {
			reject(field, "must be between " + min + " and " + max + ", was " + value);
		}
	}

	void atLeast(String field, double value, double min) {
		if (!(value >= min)) {
			reject(field, "must be at least " + min + ", was " + value);
		}
	}

	void positive(String field, double value) {
		if (!(value > 0)) {
			reject(field, "must be above 0, was " + value);
		}
	}

	void ratio(String field, double value) {
		if (!(value > 0 && value <= 1)) {
			reject(field, "must be above 0 and at most 1, was " + value);
		}
	}

	void positive(String field, @Nullable Duration value) {
		if (value == null || value.isNegative() || value.isZero()) {
			reject(field, "must be positive, was " + format(value));
		}
	}

	void notNegative(String field, @Nullable Duration value) {
		if (value == null || value.isNegative()) {
			reject(field, "must not be negative, was " + format(value));
		}
	}

	void between(String field, @Nullable Duration value, Duration min, Duration max) {
		if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
			reject(field, "must be between " + format(min) + " and " + format(max) + ", was " + format(value));
		}
	}

	/**
	 * Checks a default and the maximum it may not exceed: both at least {@code min}, the
	 * default at most the maximum.
	 */
	void range(String defaultField, @Nullable Duration defaultValue, String maxField, @Nullable Duration maxValue,
			Duration min) {
		if (maxValue == null || maxValue.compareTo(min) < 0) {
			reject(maxField, "must be at least " + format(min) + ", was " + format(maxValue));
		}
		else {
			between(defaultField, defaultValue, min, maxValue);
		}
	}

	void hasText(String field, @Nullable String value) {
		if (value == null || value.isBlank()) {
			reject(field, "must not be blank");
		}
	}

	/**
	 * Rejects the field when {@code parse} throws {@link IllegalArgumentException}, with the
	 * exception's message: for values whose rules belong to the class that reads them.
	 */
	<T> void parses(String field, T value, Function<T, ?> parse) {
		try {
			parse.apply(value);
		}
		catch (IllegalArgumentException ex) {
			reject(field, String.valueOf(ex.getMessage()));
		}
	}

	/**
	 * Rejects a field, named by its Java path ({@code trace.defaultDuration}); the error
	 * carries the property's canonical name ({@code trace.default-duration}), as the user
	 * wrote it and as the failure analysis shows it.
	 */
	void reject(String field, String message) {
		this.errors.rejectValue(CAMEL_HUMP.matcher(field).replaceAll("$1-$2").toLowerCase(Locale.ROOT),
				"diagkit.invalid", message);
	}

	private static String format(@Nullable Duration value) {
		return (value != null) ? DurationFormat.format(value) : "none";
	}

}
