package dev.diagkit.capacity;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Statistics of one input over a sliding window, in fixed memory: the window is cut into
 * slots, each keeping the mean and the maximum of the samples that fell in it. While a slot
 * holds one sample (the one-hour window at the default sampling interval) the statistics are
 * exact; for longer windows the median is taken over slot means and p99 and peak over slot
 * maxima, which errs high.
 */
final class RollingStatistics {

	private final long slotNanos;

	private final long[] slotIndex;

	private final double[] sum;

	private final double[] max;

	private final int[] count;

	RollingStatistics(Duration window, int slots) {
		this.slotNanos = Math.max(1, window.toNanos() / slots);
		this.slotIndex = new long[slots];
		Arrays.fill(this.slotIndex, Long.MIN_VALUE);
		this.sum = new double[slots];
		this.max = new double[slots];
		this.count = new int[slots];
	}

	synchronized void add(double value, long nanoTime) {
		if (!Double.isFinite(value)) {
			return;
		}
		long index = Math.floorDiv(nanoTime, this.slotNanos);
		int slot = (int) Math.floorMod(index, (long) this.slotIndex.length);
		if (this.slotIndex[slot] != index) {
			this.slotIndex[slot] = index;
			this.sum[slot] = 0;
			this.max[slot] = Double.NEGATIVE_INFINITY;
			this.count[slot] = 0;
		}
		this.sum[slot] += value;
		this.max[slot] = Math.max(this.max[slot], value);
		this.count[slot]++;
	}

	synchronized Summary summary(long nanoTime) {
		long newest = Math.floorDiv(nanoTime, this.slotNanos);
		long oldest = newest - this.slotIndex.length + 1;
		double[] means = new double[this.slotIndex.length];
		double[] maxima = new double[this.slotIndex.length];
		int slots = 0;
		long samples = 0;
		for (int i = 0; i < this.slotIndex.length; i++) {
			if (this.count[i] > 0 && this.slotIndex[i] >= oldest && this.slotIndex[i] <= newest) {
				means[slots] = this.sum[i] / this.count[i];
				maxima[slots] = this.max[i];
				samples += this.count[i];
				slots++;
			}
		}
		if (slots == 0) {
			return Summary.EMPTY;
		}
		Arrays.sort(means, 0, slots);
		Arrays.sort(maxima, 0, slots);
		return new Summary(quantile(means, slots, 0.5), quantile(maxima, slots, 0.99), maxima[slots - 1], samples);
	}

	/**
	 * Returns the slots that hold samples within the window, their start on the wall clock, so
	 * that another JVM can take them back with {@link #restore}.
	 */
	synchronized List<Slot> slots(long nanoTime, long wallMillis) {
		long newest = Math.floorDiv(nanoTime, this.slotNanos);
		long oldest = newest - this.slotIndex.length + 1;
		List<Slot> slots = new ArrayList<>();
		for (int i = 0; i < this.slotIndex.length; i++) {
			if (this.count[i] > 0 && this.slotIndex[i] >= oldest && this.slotIndex[i] <= newest) {
				long startMillis = wallMillis - (nanoTime - this.slotIndex[i] * this.slotNanos) / 1_000_000;
				slots.add(new Slot(startMillis, this.sum[i], this.max[i], this.count[i]));
			}
		}
		return slots;
	}

	/**
	 * Puts back a slot saved by {@link #slots}, unless it has left the window since.
	 */
	synchronized void restore(Slot saved, long nanoTime, long wallMillis) {
		long at = nanoTime - (wallMillis - saved.startMillis()) * 1_000_000;
		long index = Math.floorDiv(at, this.slotNanos);
		long newest = Math.floorDiv(nanoTime, this.slotNanos);
		if (index > newest || index <= newest - this.slotIndex.length || saved.count() <= 0) {
			return;
		}
		int slot = (int) Math.floorMod(index, (long) this.slotIndex.length);
		if (this.slotIndex[slot] == index && this.count[slot] > 0) {
			this.sum[slot] += saved.sum();
			this.max[slot] = Math.max(this.max[slot], saved.max());
			this.count[slot] += saved.count();
			return;
		}
		this.slotIndex[slot] = index;
		this.sum[slot] = saved.sum();
		this.max[slot] = saved.max();
		this.count[slot] = saved.count();
	}

	/** One slot's samples, with its start on the wall clock. */
	record Slot(long startMillis, double sum, double max, int count) {
	}

	private static double quantile(double[] sorted, int length, double quantile) {
		int rank = (int) Math.ceil(quantile * length) - 1;
		return sorted[Math.max(0, Math.min(length - 1, rank))];
	}

	/**
	 * Statistics of an input over a window.
	 *
	 * @param median the steady state: the median sample
	 * @param p99 the 99th percentile sample
	 * @param peak the highest sample
	 * @param samples how many samples the window holds
	 */
	record Summary(double median, double p99, double peak, long samples) {

		static final Summary EMPTY = new Summary(Double.NaN, Double.NaN, Double.NaN, 0);

		boolean isEmpty() {
			return this.samples == 0;
		}

	}

}
