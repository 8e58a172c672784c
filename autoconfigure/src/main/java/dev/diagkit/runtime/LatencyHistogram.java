package dev.diagkit.runtime;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A lock-free histogram of durations with eight buckets per power of two from 1 µs to about
 * 70 s (a bucket is at most 12.5% wider than its lower bound), used where percentiles over an
 * interval are needed: the difference of two {@link #snapshot() snapshots} gives the
 * distribution in between. Recording is one atomic increment.
 */
public final class LatencyHistogram {

	private static final int MIN_EXPONENT = 10;

	private static final int MAX_EXPONENT = 36;

	private static final int SUB_BUCKETS = 8;

	private static final int SUB_BUCKET_BITS = 3;

	private static final int BUCKETS = 1 + (MAX_EXPONENT - MIN_EXPONENT) * SUB_BUCKETS + 1;

	private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

	/**
	 * Records one duration.
	 * @param nanos the duration in nanoseconds; negative values count as zero
	 */
	public void record(long nanos) {
		this.counts.incrementAndGet(index(Math.max(0, nanos)));
	}

	static int index(long nanos) {
		if (nanos < (1L << MIN_EXPONENT)) {
			return 0;
		}
		int exponent = 63 - Long.numberOfLeadingZeros(nanos);
		if (exponent >= MAX_EXPONENT) {
			return BUCKETS - 1;
		}
		int sub = (int) (nanos >>> (exponent - SUB_BUCKET_BITS)) & (SUB_BUCKETS - 1);
		return 1 + (exponent - MIN_EXPONENT) * SUB_BUCKETS + sub;
	}

	static long lowerBound(int index) {
		if (index == 0) {
			return 0;
		}
		if (index == BUCKETS - 1) {
			return 1L << MAX_EXPONENT;
		}
		int exponent = MIN_EXPONENT + (index - 1) / SUB_BUCKETS;
		int sub = (index - 1) % SUB_BUCKETS;
		return (long) (SUB_BUCKETS + sub) << (exponent - SUB_BUCKET_BITS);
	}

	static long upperBound(int index) {
		return (index == BUCKETS - 1) ? Long.MAX_VALUE : lowerBound(index + 1);
	}

	/**
	 * Returns the counts recorded so far.
	 * @return a copy of the counts
	 */
	public Counts snapshot() {
		long[] copy = new long[BUCKETS];
		for (int i = 0; i < BUCKETS; i++) {
			copy[i] = this.counts.get(i);
		}
		return new Counts(copy);
	}

	/**
	 * Bucket counts at one moment, or between two moments.
	 */
	public static final class Counts {

		private static final Counts EMPTY = new Counts(new long[BUCKETS]);

		private final long[] counts;

		private Counts(long[] counts) {
			this.counts = counts;
		}

		/**
		 * Returns counts with nothing recorded.
		 * @return empty counts
		 */
		public static Counts empty() {
			return EMPTY;
		}

		/**
		 * Returns what was recorded after an earlier snapshot of the same histogram.
		 * @param earlier the earlier snapshot
		 * @return the difference
		 */
		public Counts since(Counts earlier) {
			long[] difference = new long[BUCKETS];
			for (int i = 0; i < BUCKETS; i++) {
				difference[i] = Math.max(0, this.counts[i] - earlier.counts[i]);
			}
			return new Counts(difference);
		}

		/**
		 * Returns how many durations were recorded.
		 * @return the count
		 */
		public long count() {
			long total = 0;
			for (long count : this.counts) {
				total += count;
			}
			return total;
		}

		/**
		 * Estimates a percentile (nearest rank), placing the ranks that share a bucket evenly
		 * across it, each in the middle of its share: one duration alone in its bucket is
		 * taken as the bucket's middle, so the estimate is within 6.25% of the truth.
		 * @param quantile the quantile, from 0 to 1, such as 0.99
		 * @return the duration in seconds, or NaN when nothing was recorded
		 */
		public double percentileSeconds(double quantile) {
			long total = count();
			if (total == 0) {
				return Double.NaN;
			}
			double rank = Math.max(1.0, Math.ceil(quantile * total));
			long seen = 0;
			for (int i = 0; i < BUCKETS; i++) {
				long inBucket = this.counts[i];
				if (inBucket > 0 && seen + inBucket >= rank) {
					long lower = lowerBound(i);
					long upper = (i == BUCKETS - 1) ? lower * 2 : upperBound(i);
					double fraction = (rank - seen - 0.5) / inBucket;
					return (lower + (upper - lower) * fraction) / 1e9;
				}
				seen += inBucket;
			}
			return Double.NaN;
		}

		/**
		 * Returns the upper bound of the highest bucket with a recording.
		 * @return the duration in seconds, or NaN when nothing was recorded
		 */
		public double maxSeconds() {
			for (int i = BUCKETS - 1; i >= 0; i--) {
				if (this.counts[i] > 0) {
					long upper = (i == BUCKETS - 1) ? lowerBound(i) * 2 : upperBound(i);
					return upper / 1e9;
				}
			}
			return Double.NaN;
		}

	}

}
