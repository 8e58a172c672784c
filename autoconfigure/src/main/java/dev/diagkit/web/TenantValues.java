package dev.diagkit.web;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The tenants admitted by name ({@code diagkit.labels.request.tenant-values}): exact values,
 * which are always labelled by name, and regular expressions a whole value must match, whose
 * values still count against the label policy's distinct-value limit. An empty list admits
 * every value.
 */
public final class TenantValues {

	private static final TenantValues ANY = new TenantValues(Set.of(), List.of());

	private final Set<String> exact;

	private final List<Pattern> patterns;

	private TenantValues(Set<String> exact, List<Pattern> patterns) {
		this.exact = exact;
		this.patterns = patterns;
	}

	/**
	 * Reads the configured entries: an entry made only of letters, digits, {@code -} and
	 * {@code _} is an exact value; any other is a regular expression.
	 * @param entries the entries
	 * @return the admitted values
	 * @throws IllegalArgumentException if an entry is blank or not a valid expression
	 */
	public static TenantValues of(Collection<String> entries) {
		if (entries.isEmpty()) {
			return ANY;
		}
		Set<String> exact = new LinkedHashSet<>();
		List<Pattern> patterns = new ArrayList<>();
		for (String entry : entries) {
			if (entry == null || entry.isBlank()) {
				throw new IllegalArgumentException("a tenant value must not be blank");
			}
			String value = entry.trim();
			if (value.chars().allMatch((c) -> Character.isLetterOrDigit(c) || c == '-' || c == '_')) {
				exact.add(value);
				continue;
			}
			try {
				patterns.add(Pattern.compile(value));
			}
			catch (PatternSyntaxException ex) {
				throw new IllegalArgumentException("'" + value + "' is neither a plain value (letters, digits, '-', "
						+ "'_') nor a valid regular expression: " + ex.getDescription());
			}
		}
		return new TenantValues(Set.copyOf(exact), List.copyOf(patterns));
	}

	/**
	 * Returns whether every value is admitted.
	 * @return whether the list is empty
	 */
	public boolean admitsAny() {
		return this.exact.isEmpty() && this.patterns.isEmpty();
	}

	/**
	 * Returns whether a value is listed exactly.
	 * @param value the value
	 * @return whether it is an exact entry
	 */
	public boolean listed(String value) {
		return this.exact.contains(value);
	}

	/**
	 * Returns whether a value matches one of the expressions.
	 * @param value the value
	 * @return whether it matches
	 */
	public boolean matches(String value) {
		for (Pattern pattern : this.patterns) {
			if (pattern.matcher(value).matches()) {
				return true;
			}
		}
		return false;
	}

}
