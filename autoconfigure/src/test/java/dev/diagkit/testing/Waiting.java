package dev.diagkit.testing;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What test threads do while they wait: simulate work that takes a while, or park until
 * released. Tests wait for conditions with Awaitility.
 */
public final class Waiting {

	private Waiting() {
	}

	/**
	 * Simulates work that takes {@code millis} (a task, a request), keeping the interrupt
	 * flag if interrupted.
	 * @param millis how long the work takes
	 */
	public static void work(long millis) {
		try {
			TimeUnit.MILLISECONDS.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Parks a test's worker thread until the test releases it, or interrupts it.
	 * @param release the latch the test counts down
	 */
	public static void parkUntilReleased(CountDownLatch release) {
		try {
			release.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
