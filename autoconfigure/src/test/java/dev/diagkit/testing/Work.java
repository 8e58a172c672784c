package dev.diagkit.testing;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * CPU work for tests, in pure Java: samplers and per-thread CPU counters see it.
 */
public final class Work {

	/** Wall time allowed per unit of CPU time asked for, for a loaded two-core machine. */
	private static final int MAX_WALL_PER_CPU = 100;

	private Work() {
	}

	/**
	 * Keeps the calling thread on a CPU until it has used {@code cpu} of CPU time, however
	 * long that takes on a busy machine (a wall-clock span would give less CPU when other
	 * processes take the cores).
	 * @param cpu the CPU time to use
	 * @return a value computed from the work, for callers to consume
	 * @throws AssertionError if the thread does not get that much CPU within a hundred times
	 * as much wall time (at least 30 s)
	 */
	public static long burnCpuTime(Duration cpu) {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		long target = threads.getCurrentThreadCpuTime() + cpu.toNanos();
		long deadline = System.nanoTime() + Math.max(Duration.ofSeconds(30).toNanos(), MAX_WALL_PER_CPU * cpu.toNanos());
		long sum = 0;
		while (threads.getCurrentThreadCpuTime() < target) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("The thread did not get " + cpu + " of CPU in time");
			}
			for (int i = 0; i < 100_000; i++) {
				sum += Long.numberOfTrailingZeros(sum + i);
			}
		}
		return sum;
	}

	/**
	 * Starts a daemon thread that runs {@code step} again and again while {@code running}
	 * holds.
	 * @param name the thread's name
	 * @param running cleared to stop the thread
	 * @param step one round of its work
	 * @return the started thread, to join
	 */
	public static Thread loop(String name, AtomicBoolean running, Runnable step) {
		Thread thread = new Thread(() -> {
			while (running.get()) {
				step.run();
			}
		}, name);
		thread.setDaemon(true);
		thread.start();
		return thread;
	}

}
