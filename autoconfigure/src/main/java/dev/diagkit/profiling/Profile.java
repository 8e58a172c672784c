package dev.diagkit.profiling;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import dev.diagkit.labels.LabelSet;
import dev.diagkit.profiling.ProfileType.ValueType;

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
	 * The frame that stands for the stacks a {@link Builder#maxStacks(int) capped} builder
	 * folded: {@code diagkit.[truncated]}.
	 */
	public static final StackFrame TRUNCATED_FRAME = new StackFrame("diagkit", "[truncated]", null, 0);

	private static final List<StackFrame> TRUNCATED_STACK = List.of(TRUNCATED_FRAME);

	/**
	 * Checks and copies the parts.
	 */
	public Profile {
		Objects.requireNonNull(type, "type must not be null");
		samples = List.copyOf(samples);
		notes = List.copyOf(notes);
	}

	/**
	 * Returns the value a view should size by: the last sample type (CPU time, bytes,
	 * delay), unless no sample has any of it while an earlier type has some (a live-heap
	 * profile from a JDK that records no object sizes).
	 * @return the index into {@link ProfileType#sampleTypes()}
	 */
	public int defaultValueIndex() {
		int count = this.type.sampleTypes().size();
		long[] totals = new long[count];
		for (Sample sample : this.samples) {
			for (int i = 0; i < count; i++) {
				totals[i] += sample.value(i);
			}
		}
		for (int i = count - 1; i >= 0; i--) {
			if (totals[i] != 0) {
				return i;
			}
		}
		return count - 1;
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
	 * Collects samples, merging identical (stack, labels) pairs, optionally within a cap on
	 * how many distinct pairs it keeps ({@link #maxStacks(int)}).
	 */
	public static final class Builder {

		private final ProfileType type;

		private final Instant start;

		private final long period;

		private final Map<Key, long[]> merged = new LinkedHashMap<>();

		private final List<String> notes = new ArrayList<>();

		private int maxStacks = Integer.MAX_VALUE;

		private long folded;

		private double foldedValue;

		private double totalValue;

		private Builder(ProfileType type, Instant start, long period) {
			this.type = Objects.requireNonNull(type, "type must not be null");
			this.start = Objects.requireNonNull(start, "start must not be null");
			this.period = period;
		}

		/**
		 * Caps the distinct (stack, labels) pairs the builder keeps, so that merging many
		 * profiles takes bounded memory. Beyond the cap, the coldest pairs (ranked by their
		 * last value, such as CPU time) are folded into the one-frame stack
		 * {@link #TRUNCATED_FRAME} with their labels; when such truncated stacks of distinct
		 * labels would take more than half the cap, the coldest of them lose their labels.
		 * Values are kept, so totals (per label set, as far as labels are kept) stay exact,
		 * and the built profile has a note saying how many pairs were folded. Pairs are
		 * folded while samples are added, a quarter of the cap at a time, so a pair that
		 * comes late and grows hot afterwards may have been folded early.
		 * @param maxStacks the most distinct pairs to keep, at least 1
		 * @return this builder
		 * @throws IllegalArgumentException if {@code maxStacks} is less than 1
		 */
		public Builder maxStacks(int maxStacks) {
			if (maxStacks < 1) {
				throw new IllegalArgumentException("maxStacks must be at least 1, was " + maxStacks);
			}
			this.maxStacks = maxStacks;
			if (this.merged.size() > maxStacks) {
				fold();
			}
			return this;
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
			add(new Key(List.copyOf(stack), labels), values);
			if (this.merged.size() > this.maxStacks && this.merged.size() - this.maxStacks > this.maxStacks / 4) {
				fold();
			}
			return this;
		}

		private void add(Key key, long[] values) {
			long[] sums = this.merged.computeIfAbsent(key, (k) -> new long[values.length]);
			for (int i = 0; i < values.length; i++) {
				sums[i] += values[i];
			}
			this.totalValue += values[values.length - 1];
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
			if (this.merged.size() > this.maxStacks) {
				fold();
			}
			List<Sample> samples = new ArrayList<>(this.merged.size());
			this.merged.forEach((key, values) -> samples.add(new Sample(key.stack(), key.labels(), values)));
			List<String> notes = this.notes;
			if (this.folded > 0) {
				notes = new ArrayList<>(this.notes);
				ValueType last = this.type.sampleTypes().get(this.type.sampleTypes().size() - 1);
				String share = (this.totalValue > 0)
						? String.format(Locale.ROOT, "%.1f%%", 100 * this.foldedValue / this.totalValue) : "0%";
				notes.add("Folded " + this.folded + " of the coldest (stack, labels) pairs, holding " + share + " of "
						+ last.type() + " " + last.unit() + ", into " + TRUNCATED_FRAME.functionName()
						+ " to keep within " + this.maxStacks + " distinct stacks");
			}
			return new Profile(this.type, this.start, duration, this.period, samples, notes);
		}

		/**
		 * Folds the coldest pairs until at most {@link #maxStacks} remain, each into the
		 * truncated stack of its labels. So that truncated stacks of many distinct labels do
		 * not crowd out real stacks, when they take more than half of the cap the coldest of
		 * them are folded into the truncated stack without labels, down to a quarter.
		 */
		private void fold() {
			int last = this.type.sampleTypes().size() - 1;
			Comparator<Map.Entry<Key, long[]>> coldestFirst = Comparator
				.comparingLong((Map.Entry<Key, long[]> entry) -> entry.getValue()[last]);
			while (this.merged.size() > this.maxStacks) {
				List<Map.Entry<Key, long[]>> real = new ArrayList<>(this.merged.size());
				List<Map.Entry<Key, long[]>> labelledTruncated = new ArrayList<>();
				for (Map.Entry<Key, long[]> entry : this.merged.entrySet()) {
					if (!entry.getKey().truncated()) {
						real.add(entry);
					}
					else if (!entry.getKey().labels().isEmpty()) {
						labelledTruncated.add(entry);
					}
				}
				if (real.isEmpty() || labelledTruncated.size() > this.maxStacks / 2) {
					labelledTruncated.sort(coldestFirst);
					int keep = real.isEmpty() ? 0 : this.maxStacks / 4;
					for (int i = 0; i < labelledTruncated.size() - keep && this.merged.size() > this.maxStacks; i++) {
						foldInto(labelledTruncated.get(i), LabelSet.empty(), last);
					}
					continue;
				}
				real.sort(coldestFirst);
				int labelled = labelledTruncated.size();
				for (int i = 0; i < real.size() && this.merged.size() > this.maxStacks
						&& labelled <= this.maxStacks / 2; i++) {
					Map.Entry<Key, long[]> entry = real.get(i);
					boolean newTruncated = !entry.getKey().labels().isEmpty()
							&& !this.merged.containsKey(new Key(TRUNCATED_STACK, entry.getKey().labels()));
					foldInto(entry, entry.getKey().labels(), last);
					labelled += newTruncated ? 1 : 0;
				}
			}
		}

		private void foldInto(Map.Entry<Key, long[]> entry, LabelSet labels, int last) {
			Key key = entry.getKey();
			long[] values = this.merged.remove(key);
			if (!key.truncated()) {
				this.folded++;
				this.foldedValue += values[last];
			}
			this.totalValue -= values[last];
			add(new Key(TRUNCATED_STACK, labels), values);
		}

		private record Key(List<StackFrame> stack, LabelSet labels) {

			boolean truncated() {
				return this.stack.size() == 1 && this.stack.get(0).equals(TRUNCATED_FRAME);
			}

			/**
			 * Compares frames by identity first: merged profiles share their frames, so
			 * equal stacks are mostly the same frames.
			 */
			@Override
			public boolean equals(Object obj) {
				if (this == obj) {
					return true;
				}
				if (!(obj instanceof Key other) || this.stack.size() != other.stack.size()
						|| !this.labels.equals(other.labels)) {
					return false;
				}
				for (int i = 0; i < this.stack.size(); i++) {
					StackFrame frame = this.stack.get(i);
					StackFrame otherFrame = other.stack.get(i);
					if (frame != otherFrame && !frame.equals(otherFrame)) {
						return false;
					}
				}
				return true;
			}

			@Override
			public int hashCode() {
				return 31 * this.stack.hashCode() + this.labels.hashCode();
			}

		}

	}

}
