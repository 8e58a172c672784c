package dev.diagkit.labels;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Guards labels that come from outside the code (request headers, job names) before they
 * reach profiles, where every distinct value becomes a series:
 * <ul>
 * <li>key names are restricted to {@code [A-Za-z0-9_.]} (other characters become
 * {@code _});</li>
 * <li>denied keys (identifiers and secrets such as {@code user_id} or {@code token}) are
 * dropped, with a warning once per key;</li>
 * <li>values from callers that look like secrets (JWTs, long hex or base64 runs,
 * {@code Bearer}/{@code Basic} credentials) are replaced by the redacted value;</li>
 * <li>values are cut to a maximum length, ending in a hash of the whole value so that
 * distinct long values stay distinct;</li>
 * <li>each key keeps at most a number of distinct <em>recently seen</em> values; a new value
 * that finds no free place becomes the overflow value, and is counted. A value unseen for
 * the value time-to-live gives up its place, so a burst of made-up values (a client
 * inventing tenant headers, say) fills the places only until it stops, never for the life
 * of the process.</li>
 * </ul>
 * Thread-safe.
 */
public final class LabelPolicy {

	/** Keys dropped by default: per-request identifiers and credentials. */
	public static final Set<String> DEFAULT_DENIED_KEYS = Set.of("request_id", "user_id", "session_id", "token",
			"password", "authorization");

	private static final Log logger = LogFactory.getLog(LabelPolicy.class);

	private static final int SECRET_MIN_LENGTH = 32;

	private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*");

	private static final Pattern HEX_RUN = Pattern.compile("[0-9a-fA-F]{32,}");

	// no '/': a path of words separated by slashes is not a token
	private static final Pattern BASE64_RUN = Pattern.compile("[A-Za-z0-9+_-]{32,}={0,2}");

	private static final Pattern SECRET_NAME = Pattern.compile(
			"(?i)(passw|pwd|secret|token|credential|api[-_.]?key|private[-_.]?key|access[-_.]?key|auth)");

	private static final Pattern CREDENTIAL = Pattern.compile("(?i)(bearer|basic|token)\\s+\\S{8,}.*");

	private final int maxValuesPerKey;

	private final int maxValueLength;

	private final Set<String> deniedKeys;

	private final boolean redactSecrets;

	private final String overflowValue;

	private final String redactedValue;

	private final Duration valueTtl;

	private final long valueTtlNanos;

	private final LongSupplier nanoClock;

	private final Map<String, RecentValues> valuesByKey = new ConcurrentHashMap<>();

	private final Map<String, LongAdder> overflowByKey = new ConcurrentHashMap<>();

	private final Set<String> warnedKeys = ConcurrentHashMap.newKeySet();

	private LabelPolicy(Builder builder) {
		this.maxValuesPerKey = builder.maxValuesPerKey;
		this.maxValueLength = builder.maxValueLength;
		this.deniedKeys = builder.deniedKeys;
		this.redactSecrets = builder.redactSecrets;
		this.overflowValue = builder.overflowValue;
		this.redactedValue = builder.redactedValue;
		this.valueTtl = builder.valueTtl;
		this.valueTtlNanos = builder.valueTtl.toNanos();
		this.nanoClock = builder.nanoClock;
	}

	/**
	 * Returns a policy with the default limits.
	 * @return a new policy
	 */
	public static LabelPolicy defaults() {
		return builder().build();
	}

	/**
	 * Returns a builder starting from the default limits.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Applies the policy to labels from outside.
	 * @param labels the raw labels
	 * @return the labels allowed into profiles
	 */
	public LabelSet apply(LabelSet labels) {
		if (labels.isEmpty()) {
			return labels;
		}
		List<String> keyValues = new ArrayList<>(labels.size() * 2);
		labels.forEach((key, value) -> {
			String safeKey = key(key);
			if (safeKey != null) {
				keyValues.add(safeKey);
				keyValues.add(admitValue(safeKey, value));
			}
		});
		return LabelSet.of(keyValues.toArray(String[]::new));
	}

	/**
	 * Applies the policy to one label.
	 * @param key the raw key
	 * @param value the raw value
	 * @return the label allowed into profiles (empty if the key is denied)
	 */
	public LabelSet apply(String key, String value) {
		String safeKey = key(key);
		return (safeKey != null) ? LabelSet.of(safeKey, admitValue(safeKey, value)) : LabelSet.empty();
	}

	/**
	 * Returns the key to use for a raw key, or {@code null} when the key is denied.
	 * @param key the raw key
	 * @return the sanitized key, or {@code null}
	 */
	public @Nullable String key(String key) {
		String safe = sanitizeKey(key);
		if (safe.isEmpty() || this.deniedKeys.contains(safe.toLowerCase(Locale.ROOT))) {
			if (this.warnedKeys.add(key)) {
				logger.warn("Dropping label key '" + key + "': it is denied by the label policy (denied keys: "
						+ this.deniedKeys + "); per-request identifiers and secrets do not belong in profiles");
			}
			return null;
		}
		return safe;
	}

	/**
	 * Returns the value to use for a label whose key was already admitted by {@link #key}:
	 * redacted, cut to length, and counted against the key's distinct-value limit.
	 * @param key the admitted key
	 * @param value the raw value
	 * @return the value to use
	 */
	public String admitValue(String key, String value) {
		return admit(key, (this.redactSecrets && looksLikeSecret(value)) ? this.redactedValue : value);
	}

	/**
	 * Returns the value to use for a label whose value comes from the application's code
	 * (a route template, a job name) rather than from a caller: cut to length and counted
	 * like {@link #admitValue}, but not taken for a secret.
	 * @param key the admitted key
	 * @param value the value
	 * @return the value to use
	 */
	public String admitCodeValue(String key, String value) {
		return admit(key, value);
	}

	private String admit(String key, String value) {
		String v = cut(value);
		RecentValues recent = this.valuesByKey.computeIfAbsent(key, (k) -> new RecentValues());
		if (recent.admit(v, this.nanoClock.getAsLong(), this.maxValuesPerKey, this.valueTtlNanos)) {
			return v;
		}
		return reject(key);
	}

	/**
	 * Returns the overflow value for a value refused before the distinct-value limit (one
	 * not on a key's allow-list, say), counting it as an overflow of that key.
	 * @param key the key
	 * @return the overflow value
	 */
	public String reject(String key) {
		this.overflowByKey.computeIfAbsent(key, (k) -> new LongAdder()).increment();
		return this.overflowValue;
	}

	/**
	 * Returns how many values were replaced by the overflow value, per key.
	 * @return counts in key order
	 */
	public Map<String, Long> overflowCounts() {
		Map<String, Long> counts = new TreeMap<>();
		this.overflowByKey.forEach((key, count) -> counts.put(key, count.sum()));
		return counts;
	}

	/**
	 * Returns how many distinct values each key has admitted.
	 * @return counts in key order
	 */
	public Map<String, Integer> distinctValueCounts() {
		Map<String, Integer> counts = new TreeMap<>();
		this.valuesByKey.forEach((key, values) -> counts.put(key, values.size()));
		return counts;
	}

	/**
	 * Returns the most distinct values a key may have.
	 * @return the limit
	 */
	public int maxValuesPerKey() {
		return this.maxValuesPerKey;
	}

	/**
	 * Returns how long a value may go unseen before it gives up its place.
	 * @return the time-to-live
	 */
	public Duration valueTtl() {
		return this.valueTtl;
	}

	/**
	 * Returns the value that stands for values over a key's limit.
	 * @return the overflow value
	 */
	public String overflowValue() {
		return this.overflowValue;
	}

	/**
	 * Returns the value that stands for redacted values.
	 * @return the redacted value
	 */
	public String redactedValue() {
		return this.redactedValue;
	}

	/**
	 * Cuts a long value, ending it with a hash of the whole so that two long values that
	 * share their beginning stay two values.
	 */
	private String cut(String value) {
		if (value.length() <= this.maxValueLength) {
			return value;
		}
		String hash = String.format("~%08x", value.hashCode());
		int keep = Math.max(0, this.maxValueLength - hash.length());
		return (keep > 0) ? value.substring(0, keep) + hash : hash.substring(0, this.maxValueLength);
	}

	/** The label clock while it runs (a field read), else the system's. */
	private static long now() {
		long tick = LabelClock.now();
		return (tick != 0) ? tick : System.nanoTime();
	}

	private static String sanitizeKey(String key) {
		String trimmed = key.trim();
		StringBuilder sb = null;
		for (int i = 0; i < trimmed.length(); i++) {
			char c = trimmed.charAt(i);
			boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'
					|| c == '.';
			if (!ok) {
				if (sb == null) {
					sb = new StringBuilder(trimmed);
				}
				sb.setCharAt(i, '_');
			}
		}
		return (sb != null) ? sb.toString() : trimmed;
	}

	/**
	 * Returns whether a name (a property, an environment variable, an option) is one under
	 * which secrets are kept: it mentions a password, secret, token, credential, private or
	 * access key, or API key.
	 * @param name the name
	 * @return whether values under it are to be treated as secrets
	 */
	public static boolean looksLikeSecretName(String name) {
		return SECRET_NAME.matcher(name).find();
	}

	/**
	 * Returns whether a value looks like a secret by its shape: a JWT, a long hex or mixed
	 * base64 run, or {@code Bearer}/{@code Basic}/{@code token} credentials.
	 * @param value the value
	 * @return whether to redact it
	 */
	public static boolean looksLikeSecret(String value) {
		if (CREDENTIAL.matcher(value).matches()) {
			return true;
		}
		if (value.length() < SECRET_MIN_LENGTH) {
			return false;
		}
		if (JWT.matcher(value).find() || HEX_RUN.matcher(value).find()) {
			return true;
		}
		var base64 = BASE64_RUN.matcher(value);
		while (base64.find()) {
			if (mixesClasses(base64.group())) {
				return true;
			}
		}
		return false;
	}

	/** A random token mixes upper case, lower case and digits; a long word or slug does not. */
	private static boolean mixesClasses(String run) {
		boolean upper = false;
		boolean lower = false;
		boolean digit = false;
		for (int i = 0; i < run.length(); i++) {
			char c = run.charAt(i);
			upper |= Character.isUpperCase(c);
			lower |= Character.isLowerCase(c);
			digit |= Character.isDigit(c);
		}
		return upper && lower && digit;
	}

	/**
	 * The values of one key with when each was last seen. Seeing a known value is a map
	 * read and, at most a few times per time-to-live, a write; a new value that finds the
	 * table full looks for expired places at most once per sixteenth of the time-to-live, so
	 * a flood of new values costs one scan of at most {@code maxValuesPerKey} entries per
	 * such period.
	 */
	private static final class RecentValues {

		private final Map<String, AtomicLong> lastSeen = new ConcurrentHashMap<>();

		private long lastSweep = Long.MIN_VALUE;

		boolean admit(String value, long now, int max, long ttlNanos) {
			AtomicLong seen = this.lastSeen.get(value);
			if (seen != null) {
				if (now - seen.get() > (ttlNanos >> 4)) {
					seen.set(now);
				}
				return true;
			}
			synchronized (this) {
				if (this.lastSeen.size() >= max && (this.lastSweep == Long.MIN_VALUE
						|| now - this.lastSweep >= (ttlNanos >> 4))) {
					this.lastSweep = now;
					this.lastSeen.values().removeIf((time) -> now - time.get() > ttlNanos);
				}
				if (this.lastSeen.size() < max) {
					this.lastSeen.putIfAbsent(value, new AtomicLong(now));
					return true;
				}
				return this.lastSeen.containsKey(value);
			}
		}

		int size() {
			return this.lastSeen.size();
		}

	}

	/**
	 * Builds a {@link LabelPolicy}.
	 */
	public static final class Builder {

		private int maxValuesPerKey = 200;

		private int maxValueLength = 64;

		private Set<String> deniedKeys = DEFAULT_DENIED_KEYS;

		private boolean redactSecrets = true;

		private String overflowValue = "_other";

		private String redactedValue = "_redacted";

		private Duration valueTtl = Duration.ofMinutes(10);

		private LongSupplier nanoClock = LabelPolicy::now;

		private Builder() {
		}

		/**
		 * Sets how long a value may go unseen before it gives up its place among its key's
		 * distinct values (default 10 minutes).
		 * @param valueTtl positive
		 * @return this builder
		 */
		public Builder valueTtl(Duration valueTtl) {
			if (valueTtl.isNegative() || valueTtl.isZero()) {
				throw new IllegalArgumentException("valueTtl must be positive, was " + valueTtl);
			}
			this.valueTtl = valueTtl;
			return this;
		}

		Builder nanoClock(LongSupplier nanoClock) {
			this.nanoClock = nanoClock;
			return this;
		}

		/**
		 * Sets the most distinct values one key may have (default 200).
		 * @param maxValuesPerKey at least 1
		 * @return this builder
		 */
		public Builder maxValuesPerKey(int maxValuesPerKey) {
			if (maxValuesPerKey < 1) {
				throw new IllegalArgumentException("maxValuesPerKey must be at least 1, was " + maxValuesPerKey);
			}
			this.maxValuesPerKey = maxValuesPerKey;
			return this;
		}

		/**
		 * Sets the longest value kept; longer values are cut (default 64).
		 * @param maxValueLength at least 1
		 * @return this builder
		 */
		public Builder maxValueLength(int maxValueLength) {
			if (maxValueLength < 1) {
				throw new IllegalArgumentException("maxValueLength must be at least 1, was " + maxValueLength);
			}
			this.maxValueLength = maxValueLength;
			return this;
		}

		/**
		 * Sets the keys that are dropped, compared without case.
		 * @param deniedKeys the keys
		 * @return this builder
		 */
		public Builder deniedKeys(Collection<String> deniedKeys) {
			this.deniedKeys = deniedKeys.stream().map((k) -> k.trim().toLowerCase(Locale.ROOT)).collect(
					java.util.stream.Collectors.toUnmodifiableSet());
			return this;
		}

		/**
		 * Sets whether values that look like secrets are redacted (default true).
		 * @param redactSecrets whether to redact
		 * @return this builder
		 */
		public Builder redactSecrets(boolean redactSecrets) {
			this.redactSecrets = redactSecrets;
			return this;
		}

		/**
		 * Sets the value used for values over a key's limit (default {@code _other}).
		 * @param overflowValue the value
		 * @return this builder
		 */
		public Builder overflowValue(String overflowValue) {
			this.overflowValue = requireText(overflowValue, "overflowValue");
			return this;
		}

		/**
		 * Sets the value used for redacted values (default {@code _redacted}).
		 * @param redactedValue the value
		 * @return this builder
		 */
		public Builder redactedValue(String redactedValue) {
			this.redactedValue = requireText(redactedValue, "redactedValue");
			return this;
		}

		private static String requireText(@Nullable String value, String name) {
			if (value == null || value.isBlank()) {
				throw new IllegalArgumentException(name + " must not be blank");
			}
			return value;
		}

		/**
		 * Returns the policy.
		 * @return a new policy
		 */
		public LabelPolicy build() {
			return new LabelPolicy(this);
		}

	}

}
