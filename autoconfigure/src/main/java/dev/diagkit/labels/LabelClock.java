package dev.diagkit.labels;

/**
 * A coarse clock for the "since when" of label changes. Reading {@link System#nanoTime()}
 * would triple the cost of a label scope (about 19 ns of 27 ns on the machines diagkit is
 * measured on), so a daemon thread publishes the time every {@value #TICK_MILLIS} ms while
 * some {@link LabelRegistry} is open, and scopes read that field. While no registry is open
 * the clock stands at 0 and label changes carry no time.
 * <p>
 * Each wake-up of the thread costs tens of microseconds of CPU on a virtual machine: at 10 ms
 * the clock alone took about 0.5% of a core. A "since when" shown to people and the age of
 * admitted label values need no finer grain than a tenth of a second.
 */
final class LabelClock {

	static final long TICK_MILLIS = 100;

	private static volatile long nanos;

	private static int users;

	private static Thread ticker;

	private LabelClock() {
	}

	/** Returns the time of the last tick, or 0 when the clock is stopped. */
	static long now() {
		return nanos;
	}

	static synchronized void start() {
		if (users++ > 0) {
			return;
		}
		nanos = System.nanoTime();
		Thread thread = new Thread(LabelClock::tick, "diagkit-label-clock");
		thread.setDaemon(true);
		ticker = thread;
		thread.start();
	}

	static void stop() {
		Thread thread;
		synchronized (LabelClock.class) {
			if (users == 0 || --users > 0) {
				return;
			}
			thread = ticker;
			ticker = null;
			nanos = 0;
		}
		thread.interrupt();
		try {
			thread.join(1000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void tick() {
		Thread self = Thread.currentThread();
		try {
			while (true) {
				synchronized (LabelClock.class) {
					// checked under the lock stop() takes, so no tick lands after it reset the clock
					if (ticker != self) {
						return;
					}
					nanos = System.nanoTime();
				}
				Thread.sleep(TICK_MILLIS);
			}
		}
		catch (InterruptedException ex) {
			// stopped
		}
	}

}
