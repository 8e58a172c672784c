package dev.diagkit.testing;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Waiting in tests without checked exceptions: for a while, for a latch, or until a
 * condition holds.
 */
public final class Waiting {

	private Waiting() {
	}

	/**
	 * Sleeps, keeping the interrupt flag if interrupted.
	 * @param millis how long
	 */
	public static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Waits up to 30 s for a latch, keeping the interrupt flag if interrupted.
	 * @param latch the latch
	 */
	public static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Checks a condition every 100 ms until it holds.
	 * @param condition the condition
	 * @throws AssertionError if it does not hold within 15 s
	 */
	public static void until(BooleanSupplier condition) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("Condition not met within 15 s");
			}
			sleep(100);
		}
	}

}
