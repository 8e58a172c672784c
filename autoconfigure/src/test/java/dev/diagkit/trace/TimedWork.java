package dev.diagkit.trace;

/**
 * Methods to time: {@link #price} is named, {@link #other} calls it and is not.
 */
final class TimedWork {

	private TimedWork() {
	}

	static long price(int n) {
		long x = n;
		for (int i = 0; i < n; i++) {
			x += Long.numberOfTrailingZeros(x + i);
		}
		return x;
	}

	static long other(int n) {
		return price(n) + 1;
	}

	/** A nested class, named with its binary name. */
	static final class Inner implements Runnable {

		@Override
		public void run() {
			price(10);
		}

	}

}
