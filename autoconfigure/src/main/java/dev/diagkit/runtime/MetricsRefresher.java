package dev.diagkit.runtime;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * One daemon thread, {@code diagkit-metrics}, that refreshes the sources whose reading is
 * too slow for a scrape (a scan of every thread, a native memory summary) and samples for
 * the capacity report. Closing it stops the thread.
 */
public final class MetricsRefresher implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(MetricsRefresher.class);

	private final ScheduledExecutorService scheduler;

	private final Set<Thread> threads = ConcurrentHashMap.newKeySet();

	/**
	 * Creates the refresher and starts its thread.
	 */
	public MetricsRefresher() {
		this.scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "diagkit-metrics");
			thread.setDaemon(true);
			this.threads.add(thread);
			return thread;
		});
	}

	/**
	 * Runs a task now and then at a fixed rate until the refresher closes. A task that
	 * throws is logged once per failure and runs again at its next time (only a
	 * {@link VirtualMachineError} ends it).
	 * @param what what the task refreshes, for the log
	 * @param every the period
	 * @param task the task
	 */
	public void schedule(String what, Duration every, Runnable task) {
		if (every.isNegative() || every.isZero()) {
			throw new IllegalArgumentException("The refresh period of " + what + " must be positive, was " + every);
		}
		long millis = Math.max(1, every.toMillis());
		this.scheduler.scheduleAtFixedRate(() -> {
			try {
				task.run();
			}
			catch (VirtualMachineError ex) {
				throw ex;
			}
			catch (Throwable ex) {
				// a throwable escaping would end this task's schedule for good, without a word
				logger.warn("Refreshing " + what + " failed", ex);
			}
		}, 0, millis, TimeUnit.MILLISECONDS);
	}

	/**
	 * Stops the thread, waiting up to a second for a running task and then for the thread to
	 * end.
	 */
	@Override
	public void close() {
		this.scheduler.shutdownNow();
		try {
			this.scheduler.awaitTermination(1, TimeUnit.SECONDS);
			// the executor counts as terminated a moment before its thread has ended
			for (Thread thread : this.threads) {
				thread.join(1000);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
