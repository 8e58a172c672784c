package dev.diagkit.propagation;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.diagkit.labels.LabelScope;
import dev.diagkit.labels.LabelSet;
import dev.diagkit.labels.spi.LabelScopes;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Takes {@link LabeledJob}s from a queue on a thread of its own and runs each under its
 * labels; between jobs the thread carries no labels. A job that throws (anything but a
 * virtual machine error) is logged and counted, and the next one runs; an interrupt a job
 * leaves behind is cleared. {@link #close()} stops the thread and waits for the job in
 * progress.
 */
public final class LabeledJobConsumer implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(LabeledJobConsumer.class);

	private static final long POLL_MILLIS = 100;

	private final BlockingQueue<LabeledJob> queue;

	private final Thread thread;

	private final AtomicLong completed = new AtomicLong();

	private final AtomicLong failed = new AtomicLong();

	private volatile boolean running = true;

	private LabeledJobConsumer(String name, BlockingQueue<LabeledJob> queue) {
		this.queue = Objects.requireNonNull(queue, "queue must not be null");
		this.thread = new Thread(this::consume, name);
		this.thread.setDaemon(true);
	}

	/**
	 * Starts consuming {@code queue} on a new daemon thread.
	 * @param threadName the consumer thread's name
	 * @param queue the queue to take jobs from
	 * @return the running consumer
	 */
	public static LabeledJobConsumer start(String threadName, BlockingQueue<LabeledJob> queue) {
		LabeledJobConsumer consumer = new LabeledJobConsumer(threadName, queue);
		consumer.thread.start();
		return consumer;
	}

	private void consume() {
		// the thread inherited its creator's labels; a consumer carries none between jobs
		try (LabelScope idle = LabelScopes.openExactly(LabelSet.empty())) {
			while (this.running) {
				LabeledJob job;
				try {
					job = this.queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
				}
				catch (InterruptedException ex) {
					// stop() interrupts only after clearing running; anything else is a job's leftover
					continue;
				}
				if (job != null) {
					runJob(job);
				}
			}
		}
	}

	private void runJob(LabeledJob job) {
		try {
			job.run();
			this.completed.incrementAndGet();
		}
		catch (VirtualMachineError ex) {
			this.failed.incrementAndGet();
			throw ex;
		}
		catch (Throwable ex) {
			this.failed.incrementAndGet();
			logger.warn("Labeled job " + job + " failed", ex);
		}
		finally {
			// a job that restored an interrupt it caught must not stop the consumer
			Thread.interrupted();
		}
	}

	/**
	 * Returns how many jobs completed normally.
	 * @return the count
	 */
	public long completedJobs() {
		return this.completed.get();
	}

	/**
	 * Returns how many jobs threw.
	 * @return the count
	 */
	public long failedJobs() {
		return this.failed.get();
	}

	/**
	 * Stops taking jobs and waits up to {@code timeout} for the job in progress. Jobs left in
	 * the queue stay there.
	 * @param timeout how long to wait
	 * @return whether the thread ended in time
	 * @throws InterruptedException if interrupted while waiting
	 */
	public boolean stop(Duration timeout) throws InterruptedException {
		this.running = false;
		this.thread.join(Math.max(1, timeout.toMillis()));
		if (this.thread.isAlive()) {
			this.thread.interrupt();
			this.thread.join(POLL_MILLIS);
		}
		return !this.thread.isAlive();
	}

	/**
	 * Stops the consumer, waiting up to ten seconds for the job in progress.
	 */
	@Override
	public void close() {
		try {
			stop(Duration.ofSeconds(10));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
