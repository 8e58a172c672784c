package dev.diagkit.labels;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

import org.jspecify.annotations.Nullable;

/**
 * An immutable set of profiling labels: string keys mapped to string values, kept sorted by
 * key. Equality is by content. The counterpart of Go's {@code pprof.LabelSet}.
 * <p>
 * Build one with {@link #of(String...)} once (for example in a static field) and reuse it:
 * entering a scope with a pre-built set allocates nothing.
 */
public final class LabelSet {

	private static final String[] NONE = new String[0];

	private static final LabelSet EMPTY = new LabelSet(NONE, NONE);

	private static final int MERGE_SLOTS = 4;

	private final String[] keys;

	private final String[] values;

	private int hash;

	private @Nullable Map<String, String> map;

	/**
	 * Recent merges computed from this set, by the other set's hash. Scopes merge the same
	 * pairs again and again (a tenant's request labels with each of the routes it calls, say);
	 * remembering a few results keeps the hot path free of allocation. Racy by design: each
	 * slot holds an immutable pair, and a slot another thread has not seen yet only costs a
	 * merge.
	 */
	private @Nullable Merge @Nullable [] merges;

	private LabelSet(String[] keys, String[] values) {
		this.keys = keys;
		this.values = values;
	}

	/**
	 * Returns the empty label set.
	 * @return the empty set
	 */
	public static LabelSet empty() {
		return EMPTY;
	}

	/**
	 * Returns the labels given as alternating keys and values, like Go's
	 * {@code pprof.Labels("tenant", "acme", "endpoint", "GET /orders")}. When a key is given
	 * twice the later value wins.
	 * @param keyValues keys and values, alternating
	 * @return the label set
	 * @throws IllegalArgumentException if the count is odd, a key is null or blank, or a
	 * value is null
	 */
	public static LabelSet of(String... keyValues) {
		if (keyValues == null) {
			throw new IllegalArgumentException("keyValues must not be null");
		}
		if (keyValues.length % 2 != 0) {
			throw new IllegalArgumentException("Labels come in key/value pairs, but " + keyValues.length
					+ " strings were given; the last key '" + keyValues[keyValues.length - 1] + "' has no value");
		}
		if (keyValues.length == 0) {
			return EMPTY;
		}
		int n = keyValues.length / 2;
		String[] keys = new String[n];
		String[] values = new String[n];
		for (int i = 0; i < n; i++) {
			keys[i] = checkKey(keyValues[2 * i], i);
			values[i] = checkValue(keys[i], keyValues[2 * i + 1]);
		}
		return sorted(keys, values);
	}

	/**
	 * Returns the labels of a map.
	 * @param labels keys and values
	 * @return the label set
	 * @throws IllegalArgumentException if a key is null or blank, or a value is null
	 */
	public static LabelSet of(Map<String, String> labels) {
		if (labels.isEmpty()) {
			return EMPTY;
		}
		String[] keys = new String[labels.size()];
		String[] values = new String[labels.size()];
		int i = 0;
		for (Map.Entry<String, String> entry : labels.entrySet()) {
			keys[i] = checkKey(entry.getKey(), i);
			values[i] = checkValue(keys[i], entry.getValue());
			i++;
		}
		return sorted(keys, values);
	}

	private static String checkKey(@Nullable String key, int index) {
		if (key == null) {
			throw new IllegalArgumentException("Label key at pair " + index + " is null; keys must be non-blank strings");
		}
		if (key.isBlank()) {
			throw new IllegalArgumentException(
					"Label key at pair " + index + " is blank ('" + key + "'); keys must be non-blank strings");
		}
		return key;
	}

	private static String checkValue(String key, @Nullable String value) {
		if (value == null) {
			throw new IllegalArgumentException("Value of label '" + key + "' is null; use a string (it may be empty)");
		}
		return value;
	}

	private static LabelSet sorted(String[] keys, String[] values) {
		int n = keys.length;
		// insertion sort: label sets are small, and a stable sort lets the later duplicate win
		for (int i = 1; i < n; i++) {
			String k = keys[i];
			String v = values[i];
			int j = i - 1;
			while (j >= 0 && keys[j].compareTo(k) > 0) {
				keys[j + 1] = keys[j];
				values[j + 1] = values[j];
				j--;
			}
			keys[j + 1] = k;
			values[j + 1] = v;
		}
		int unique = 0;
		for (int i = 0; i < n; i++) {
			if (unique > 0 && keys[unique - 1].equals(keys[i])) {
				values[unique - 1] = values[i];
			}
			else {
				keys[unique] = keys[i];
				values[unique] = values[i];
				unique++;
			}
		}
		if (unique < n) {
			return new LabelSet(Arrays.copyOf(keys, unique), Arrays.copyOf(values, unique));
		}
		return new LabelSet(keys, values);
	}

	/**
	 * Returns these labels merged with {@code other}; where both have a key, the value of
	 * {@code other} wins.
	 * @param other the labels to add
	 * @return the merged set (this or {@code other} itself when nothing changes)
	 */
	public LabelSet with(LabelSet other) {
		if (other.keys.length == 0 || other == this) {
			return this;
		}
		if (this.keys.length == 0) {
			return other;
		}
		@Nullable Merge[] memo = this.merges;
		int slot = other.hashCode() & (MERGE_SLOTS - 1);
		if (memo != null) {
			Merge merge = memo[slot];
			if (merge != null && merge.other == other) {
				return merge.result;
			}
		}
		LabelSet result = merge(other);
		if (memo == null) {
			memo = new Merge[MERGE_SLOTS];
			this.merges = memo;
		}
		memo[slot] = new Merge(other, result);
		return result;
	}

	/**
	 * Returns these labels without the given keys.
	 * @param keys the keys to leave out
	 * @return the set without them (this set itself when it has none of them)
	 */
	public LabelSet without(Collection<String> keys) {
		int kept = 0;
		for (String key : this.keys) {
			if (!keys.contains(key)) {
				kept++;
			}
		}
		if (kept == this.keys.length) {
			return this;
		}
		String[] k = new String[kept];
		String[] v = new String[kept];
		int n = 0;
		for (int i = 0; i < this.keys.length; i++) {
			if (!keys.contains(this.keys[i])) {
				k[n] = this.keys[i];
				v[n++] = this.values[i];
			}
		}
		return new LabelSet(k, v);
	}

	/**
	 * Returns these labels with one label added or replaced.
	 * @param key the key
	 * @param value the value
	 * @return the new set
	 */
	public LabelSet with(String key, String value) {
		return with(of(key, value));
	}

	private LabelSet merge(LabelSet other) {
		String[] k = new String[this.keys.length + other.keys.length];
		String[] v = new String[k.length];
		int i = 0;
		int j = 0;
		int n = 0;
		while (i < this.keys.length || j < other.keys.length) {
			int cmp = (i == this.keys.length) ? 1
					: (j == other.keys.length) ? -1 : this.keys[i].compareTo(other.keys[j]);
			if (cmp < 0) {
				k[n] = this.keys[i];
				v[n++] = this.values[i++];
			}
			else {
				k[n] = other.keys[j];
				v[n++] = other.values[j++];
				if (cmp == 0) {
					i++;
				}
			}
		}
		if (n == this.keys.length && Arrays.equals(this.values, 0, n, v, 0, n)) {
			return this;
		}
		return new LabelSet((n < k.length) ? Arrays.copyOf(k, n) : k, (n < v.length) ? Arrays.copyOf(v, n) : v);
	}

	/**
	 * Returns the value of a label.
	 * @param key the key
	 * @return the value, or {@code null} if there is no such label
	 */
	public @Nullable String get(String key) {
		int i = Arrays.binarySearch(this.keys, key);
		return (i >= 0) ? this.values[i] : null;
	}

	/**
	 * Returns the number of labels.
	 * @return the size
	 */
	public int size() {
		return this.keys.length;
	}

	/**
	 * Returns whether there are no labels.
	 * @return whether the set is empty
	 */
	public boolean isEmpty() {
		return this.keys.length == 0;
	}

	/**
	 * Calls {@code action} for each label in key order.
	 * @param action receives each key and value
	 */
	public void forEach(BiConsumer<String, String> action) {
		for (int i = 0; i < this.keys.length; i++) {
			action.accept(this.keys[i], this.values[i]);
		}
	}

	/**
	 * Returns the labels as an unmodifiable map in key order.
	 * @return the map
	 */
	public Map<String, String> asMap() {
		Map<String, String> result = this.map;
		if (result == null) {
			Map<String, String> copy = new LinkedHashMap<>();
			forEach(copy::put);
			result = Collections.unmodifiableMap(copy);
			this.map = result;
		}
		return result;
	}

	@Override
	public boolean equals(@Nullable Object obj) {
		if (this == obj) {
			return true;
		}
		return (obj instanceof LabelSet other) && Arrays.equals(this.keys, other.keys)
				&& Arrays.equals(this.values, other.values);
	}

	@Override
	public int hashCode() {
		int h = this.hash;
		if (h == 0 && this.keys.length > 0) {
			h = 31 * Arrays.hashCode(this.keys) + Arrays.hashCode(this.values);
			this.hash = h;
		}
		return h;
	}

	/**
	 * Returns the labels as {@code {key=value, ...}} in key order.
	 */
	@Override
	public String toString() {
		StringBuilder sb = new StringBuilder("{");
		for (int i = 0; i < this.keys.length; i++) {
			if (i > 0) {
				sb.append(", ");
			}
			sb.append(this.keys[i]).append('=').append(this.values[i]);
		}
		return sb.append('}').toString();
	}

	private record Merge(LabelSet other, LabelSet result) {
	}

}
