package dev.diagkit.memory;

import java.util.function.DoubleSupplier;

import dev.diagkit.runtime.ProcessThreadTimes;
import org.jspecify.annotations.Nullable;

/**
 * The garbage collector's share of the process's CPU since the previous reading, from the
 * CPU time of the collector's threads ({@link ProcessThreadTimes}).
 */
public final class GcCpuShare implements DoubleSupplier {

	private final ProcessThreadTimes threads;

	private ProcessThreadTimes.@Nullable Snapshot previous;

	/**
	 * Creates a reader; the first reading covers the time since it was created.
	 * @param threads the process's per-thread CPU times
	 */
	public GcCpuShare(ProcessThreadTimes threads) {
		this.threads = threads;
		this.previous = threads.available() ? threads.refresh() : null;
	}

	/**
	 * Returns the share since the previous call.
	 * @return a ratio from 0 to 1, or NaN when the threads' CPU times cannot be read
	 */
	@Override
	public synchronized double getAsDouble() {
		if (!this.threads.available()) {
			return Double.NaN;
		}
		ProcessThreadTimes.Snapshot now = this.threads.refresh();
		ProcessThreadTimes.Snapshot before = this.previous;
		this.previous = now;
		return (before != null) ? now.gcShareSince(before) : Double.NaN;
	}

}
