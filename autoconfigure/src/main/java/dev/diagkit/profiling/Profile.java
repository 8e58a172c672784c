package dev.diagkit.profiling;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.diagkit.labels.LabelSet;

/**
 * A profile: samples of one {@link ProfileType}, each a stack (leaf first), the labels its
 * thread carried, and its values. Identical (stack, labels) samples are merged by the
 * {@link Builder}, so the size grows with distinct stacks, not with time. Immutable.
 *
 * @param type the kind of profile
 * @param start when sampling started
 * @param duration how long it covers
 * @param period the sampling period, in the unit of {@link ProfileType#periodType()}
 * @param samples the merged samples
 * @param notes remarks on how the profile was made, such as truncation
 */
public record Profile(ProfileType type, Instant start, Duration duration, long period, List<Sample> samples,
		List<String> notes) {

	/**
	 * Checks and copies the parts.
	 */
	public Profile {
		Objects.requireNonNull(type, "type must not be null");
		samples = List.copyOf(samples);
		notes = List.copyOf(notes);
	}

	/**
	 * Returns a builder.
	 * @param type the kind of profile
	 * @param start when sampling started
	 * @param period the sampling period
	 * @return a new builder
	 */
	public static Builder builder(ProfileType type, Instant start, long period) {
		return new Builder(type, start, period);
	}

	/**
	 * A merged sample.
	 *
	 * @param stack the frames, leaf first
	 * @param labels the labels the thread carried
	 * @param values one value per {@link ProfileType#sampleTypes()}, in order
	 */
	public record Sample(List<StackFrame> stack, LabelSet labels, long[] values) {

		/**
		 * Copies the parts.
		 */
		public Sample {
			stack = List.copyOf(stack);
			values = values.clone();
		}

		@Override
		public long[] values() {
			return this.values.clone();
		}

		/**
		 * Returns one value.
		 * @param index the index of the sample type
		 * @return the value
		 */
		public long value(int index) {
			return this.values[index];
		}

		@Override
		public boolean equals(Object obj) {
			return (obj instanceof Sample other) && this.stack.equals(other.stack) && this.labels.equals(other.labels)
					&& Arrays.equals(this.values, other.values);
		}

		@Override
		public int hashCode() {
			return Objects.hash(this.stack, this.labels, Arrays.hashCode(this.values));
		}

		@Override
		public String toString() {
			return "Sample" + this.labels + Arrays.toString(this.values) + this.stack;
		}

	}

	/**
	 * Collects samples, merging identical (stack, labels) pairs.
	 */
	public static final class Builder {

		private final ProfileType type;

		private final Instant start;

		private final long period;

		private final Map<Key, long[]> merged = new LinkedHashMap<>();

		private final List<String> notes = new ArrayList<>();

		private Builder(ProfileType type, Instant start, long period) {
			this.type = Objects.requireNonNull(type, "type must not be null");
			this.start = Objects.requireNonNull(start, "start must not be null");
			this.period = period;
		}

		/**
		 * Adds a sample.
		 * @param stack the frames, leaf first
		 * @param labels the labels the thread carried
		 * @param values one value per sample type
		 * @return this builder
		 */
		public Builder add(List<StackFrame> stack, LabelSet labels, long... values) {
			int expected = this.type.sampleTypes().size();
			if (values.length != expected) {
				throw new IllegalArgumentException(
						"A " + this.type.id() + " sample has " + expected + " values, was given " + values.length);
			}
			long[] sums = this.merged.computeIfAbsent(new Key(List.copyOf(stack), labels), (k) -> new long[expected]);
			for (int i = 0; i < expected; i++) {
				sums[i] += values[i];
			}
			return this;
		}

		/**
		 * Adds a remark on how the profile was made.
		 * @param note the remark
		 * @return this builder
		 */
		public Builder note(String note) {
			this.notes.add(note);
			return this;
		}

		/**
		 * Returns the profile.
		 * @param duration how long it covers
		 * @return the profile
		 */
		public Profile build(Duration duration) {
			List<Sample> samples = new ArrayList<>(this.merged.size());
			this.merged.forEach((key, values) -> samples.add(new Sample(key.stack(), key.labels(), values)));
			return new Profile(this.type, this.start, duration, this.period, samples, this.notes);
		}

		private record Key(List<StackFrame> stack, LabelSet labels) {
		}

	}

}
