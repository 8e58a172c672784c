package dev.diagkit.memory;

import java.time.Duration;
import java.util.function.DoubleSupplier;

import dev.diagkit.runtime.ProcessThreadTimes;
import org.jspecify.annotations.Nullable;

/**
 * The garbage collector's share of the process's CPU since the previous reading, from the
 * CPU time of the collector's threads ({@link ProcessThreadTimes}). A process that used less
 * than {@value #MIN_BUSY_CORES} of a core counts as having used that much: the collector's
 * share of an idle process's few milliseconds says nothing about what it costs, and would
 * otherwise hold the target back exactly when shrinking is cheapest. A scan of the threads
 * that someone else made recently enough (the metrics refresher scans every few seconds) is
 * used instead of scanning again.
 */
public final class GcCpuShare implements DoubleSupplier {

	/** The least CPU, in cores, a period is measured against. */
	public static final double MIN_BUSY_CORES = 0.1;

	private final ProcessThreadTimes threads;

	private final boolean available;

	private final Duration reuse;

	private ProcessThreadTimes.@Nullable Snapshot previous;

	/**
	 * Creates a reader that scans the threads at every reading; the first reading covers the
	 * time since it was created.
	 * @param threads the process's per-thread CPU times
	 */
	public GcCpuShare(ProcessThreadTimes threads) {
		this(threads, Duration.ZERO);
	}

	/**
	 * Creates a reader; the first reading covers the time since it was created.
	 * @param threads the process's per-thread CPU times
	 * @param reuse how old a scan may be and still be used, such as half the period between
	 * readings
	 */
	public GcCpuShare(ProcessThreadTimes threads, Duration reuse) {
		this.threads = threads;
		this.available = threads.available();
		this.reuse = reuse;
		this.previous = this.available ? threads.refresh() : null;
	}

	/**
	 * Returns the share since the previous call.
	 * @return a ratio from 0 to 1, or NaN when the threads' CPU times cannot be read
	 */
	@Override
	public synchronized double getAsDouble() {
		if (!this.available) {
			return Double.NaN;
		}
		ProcessThreadTimes.Snapshot before = this.previous;
		ProcessThreadTimes.Snapshot now = this.threads.latest(this.reuse);
		if (now == before) {
			now = this.threads.refresh();
		}
		this.previous = now;
		return (before != null) ? now.gcShareSince(before, MIN_BUSY_CORES) : Double.NaN;
	}

}
