package dev.diagkit.endpoint;

import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;

import dev.diagkit.runtime.DurationFormat;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.util.unit.DataSize;

/**
 * The parameters of one call to a diag section, with validating accessors: each throws
 * {@link InvalidParameterException} naming the parameter and what it accepts.
 *
 * @param section the section name
 * @param parameters the query (or body) parameters given, by name
 * @param principal the caller's name, or {@code null} when unauthenticated
 * @param uri the request's full URI, query included, or {@code null} when unknown
 */
public record DiagRequest(String section, Map<String, String> parameters, @Nullable String principal,
		@Nullable URI uri) {

	/**
	 * Creates a call whose URI is unknown.
	 * @param section the section name
	 * @param parameters the parameters given, by name
	 * @param principal the caller's name, or {@code null} when unauthenticated
	 */
	public DiagRequest(String section, Map<String, String> parameters, @Nullable String principal) {
		this(section, parameters, principal, null);
	}

	/**
	 * Returns the name after the section in the path, as {@code cpu} in
	 * {@code /actuator/diag/profiles/cpu}.
	 * @return the name, or {@code null} when the path names only the section
	 */
	public @Nullable String name() {
		int slash = this.section.indexOf('/');
		return (slash < 0) ? null : this.section.substring(slash + 1);
	}

	/**
	 * Returns a parameter as given.
	 * @param name the parameter
	 * @return its value, or {@code null} when absent
	 */
	public @Nullable String get(String name) {
		String value = this.parameters.get(name);
		return (value == null || value.isEmpty()) ? null : value;
	}

	/**
	 * Returns a parameter that must be one of a few words, compared without case.
	 * @param name the parameter
	 * @param defaultValue the value when absent
	 * @param accepted the accepted values, in lower case
	 * @return the value in lower case
	 */
	public String choice(String name, String defaultValue, Collection<String> accepted) {
		String value = get(name);
		if (value == null) {
			return defaultValue;
		}
		String lower = value.toLowerCase(Locale.ROOT);
		if (!accepted.contains(lower)) {
			throw new InvalidParameterException(
					"'" + name + "' must be one of " + String.join(", ", accepted) + ", was '" + value + "'");
		}
		return lower;
	}

	/**
	 * Returns a boolean parameter ({@code true} or {@code false}).
	 * @param name the parameter
	 * @param defaultValue the value when absent
	 * @return the value
	 */
	public boolean flag(String name, boolean defaultValue) {
		String value = get(name);
		if (value == null) {
			return defaultValue;
		}
		return switch (value.toLowerCase(Locale.ROOT)) {
			case "true" -> true;
			case "false" -> false;
			default -> throw new InvalidParameterException("'" + name + "' must be true or false, was '" + value + "'");
		};
	}

	/**
	 * Returns a whole-number parameter within a range.
	 * @param name the parameter
	 * @param defaultValue the value when absent
	 * @param min the least value accepted
	 * @param max the greatest value accepted
	 * @return the value
	 */
	public int integer(String name, int defaultValue, int min, int max) {
		String value = get(name);
		if (value == null) {
			return defaultValue;
		}
		int parsed;
		try {
			parsed = Integer.parseInt(value.trim());
		}
		catch (NumberFormatException ex) {
			throw new InvalidParameterException("'" + name + "' must be a whole number between " + min + " and " + max
					+ ", was '" + value + "'");
		}
		if (parsed < min || parsed > max) {
			throw new InvalidParameterException(
					"'" + name + "' must be between " + min + " and " + max + ", was " + parsed);
		}
		return parsed;
	}

	/**
	 * Returns a duration parameter ({@code 10ms}, {@code 5s}, {@code 2m}, or ISO-8601 such as
	 * {@code PT5S}) within a range.
	 * @param name the parameter
	 * @param defaultValue the value when absent
	 * @param min the least value accepted
	 * @param max the greatest value accepted
	 * @return the value
	 */
	public Duration duration(String name, Duration defaultValue, Duration min, Duration max) {
		String value = get(name);
		if (value == null) {
			return defaultValue;
		}
		Duration parsed = parse(value);
		if (parsed == null) {
			throw new InvalidParameterException("'" + name + "' must be a duration such as 10ms, 5s or 2m, was '"
					+ value + "'");
		}
		if (parsed.compareTo(min) < 0 || parsed.compareTo(max) > 0) {
			throw new InvalidParameterException("'" + name + "' must be between " + DurationFormat.format(min) + " and "
					+ DurationFormat.format(max) + ", was " + DurationFormat.format(parsed));
		}
		return parsed;
	}

	/**
	 * Returns a size parameter with its unit ({@code 300MB}, {@code 1GB}); a bare number is
	 * refused, since {@code base=300} could as well mean megabytes as bytes.
	 * @param name the parameter
	 * @param alternatives what else the parameter accepts, for the message, such as
	 * {@code ", or max"}
	 * @return the size in bytes, or {@code null} when absent
	 */
	public @Nullable Long size(String name, String alternatives) {
		String value = get(name);
		if (value == null) {
			return null;
		}
		String text = value.trim();
		DataSize parsed = null;
		if (text.chars().anyMatch(Character::isLetter)) {
			try {
				parsed = DataSize.parse(text);
			}
			catch (IllegalArgumentException ex) {
				// refused below
			}
		}
		if (parsed == null || parsed.isNegative()) {
			throw new InvalidParameterException("'" + name + "' must be a size with a unit such as 300MB or 1GB"
					+ alternatives + ", was '" + value + "'");
		}
		return parsed.toBytes();
	}

	/**
	 * Reads a duration as Spring Boot reads duration properties, {@code 500ms}, {@code 5s},
	 * {@code 2m}, {@code 1h} or ISO-8601 such as {@code PT5S}, except that the unit is
	 * required: in a request, {@code ttl=600} is more likely meant as seconds than as Boot's
	 * default milliseconds.
	 */
	static @Nullable Duration parse(String value) {
		String text = value.trim();
		if (text.chars().noneMatch(Character::isLetter)) {
			return null;
		}
		try {
			return DurationStyle.detectAndParse(text);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

}
