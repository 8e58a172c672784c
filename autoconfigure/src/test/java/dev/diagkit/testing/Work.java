package dev.diagkit.testing;

/**
 * CPU work for tests, in pure Java: samplers and per-thread CPU counters see it.
 */
public final class Work {

	private Work() {
	}

	/**
	 * Keeps the calling thread on a CPU for a while.
	 * @param millis how long
	 * @return a value computed from the work, for callers to consume
	 */
	public static long burnCpu(long millis) {
		long end = System.nanoTime() + millis * 1_000_000;
		long sum = 0;
		while (System.nanoTime() < end) {
			sum += Long.numberOfTrailingZeros(sum + System.nanoTime());
		}
		return sum;
	}

}
