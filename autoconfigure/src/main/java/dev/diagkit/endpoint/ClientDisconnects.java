package dev.diagkit.endpoint;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import dev.diagkit.runtime.TcpConnections;
import org.jspecify.annotations.Nullable;

/**
 * Notices a client that goes away while a capture records for it, so the capture stops and
 * frees its slot at once instead of recording for nobody. A servlet cannot tell that its
 * client left before it writes, and a capture writes only once it has recorded; so, on
 * Linux, a daemon thread looks up the request's connection in the kernel's table every
 * {@value #POLL_MILLIS} ms while a capture runs (less often where the table is so large that
 * reading it would take more than about 1% of a core: the kernel lists every socket,
 * {@code TIME_WAIT} ones included, and with 8,700 of them a read took 23 ms, so the capture
 * itself would cost several percent) and interrupts the capture's thread when the
 * client has closed its end (CLOSE_WAIT), or its connection is gone from two reads in a row.
 * The connection is found by the server's port and the client's address and port. Where the
 * table cannot be read, or the connection is not listed under them (behind some proxies),
 * nothing is watched and a capture runs to its end as before. A client that closes only its
 * sending side and still waits for the answer (a half-close, as {@code nc -N} does) is taken
 * for gone. Closing this ends the thread.
 */
public class ClientDisconnects implements AutoCloseable {

	static final long POLL_MILLIS = 250;

	/** A poll may take at most one part in this many of the time between polls. */
	private static final long COST_BOUND = 100;

	private final boolean available = TcpConnections.available();

	private final ScheduledThreadPoolExecutor poller = DaemonScheduler.create("diagkit-capture-watch");

	/**
	 * Starts watching a client's connection while a capture runs on the current thread.
	 * @param localPort the server's port the client connected to
	 * @param remoteAddress the client's address, or {@code null} when unknown
	 * @param remotePort the client's port
	 * @return the watch, to close when the capture ends
	 */
	public Watch watch(int localPort, @Nullable String remoteAddress, int remotePort) {
		if (!this.available || remoteAddress == null || localPort <= 0 || remotePort <= 0) {
			return new Watch(null);
		}
		Integer state = TcpConnections.state(localPort, remoteAddress, remotePort);
		if (state == null || state == TcpConnections.CLOSE_WAIT) {
			return new Watch(null);
		}
		Watch watch = new Watch(Thread.currentThread());
		int[] misses = new int[1];
		Runnable poll = new Runnable() {

			@Override
			public void run() {
				long start = System.nanoTime();
				Integer now = TcpConnections.state(localPort, remoteAddress, remotePort);
				// a read of the table is not atomic: a connection missing once may be there
				misses[0] = (now == null) ? misses[0] + 1 : 0;
				if ((now != null && now == TcpConnections.CLOSE_WAIT) || misses[0] >= 2) {
					watch.clientLeft();
					return;
				}
				long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
				schedule(watch, this, Math.max(POLL_MILLIS, took * COST_BOUND));
			}

		};
		schedule(watch, poll, POLL_MILLIS);
		return watch;
	}

	private void schedule(Watch watch, Runnable poll, long delayMillis) {
		synchronized (watch) {
			if (watch.done) {
				return;
			}
			try {
				watch.task = this.poller.schedule(poll, delayMillis, TimeUnit.MILLISECONDS);
			}
			catch (RejectedExecutionException ex) {
				// closed: the application is stopping, and its captures with it
			}
		}
	}

	@Override
	public void close() {
		this.poller.shutdownNow();
	}

	/**
	 * A watched capture: interrupted when its client leaves.
	 */
	public static final class Watch implements AutoCloseable {

		private final @Nullable Thread capturing;

		private @Nullable ScheduledFuture<?> task;

		private boolean done;

		private boolean clientLeft;

		Watch(@Nullable Thread capturing) {
			this.capturing = capturing;
		}

		private synchronized void clientLeft() {
			if (!this.done && !this.clientLeft && this.capturing != null) {
				this.clientLeft = true;
				this.capturing.interrupt();
			}
		}

		/**
		 * Returns whether the client left while the capture ran.
		 * @return whether it was interrupted for that
		 */
		public synchronized boolean hasClientLeft() {
			return this.clientLeft;
		}

		/** Stops watching, and clears the interrupt this watch made, if any. */
		@Override
		public synchronized void close() {
			this.done = true;
			if (this.task != null) {
				this.task.cancel(false);
			}
			if (this.clientLeft && Thread.currentThread() == this.capturing) {
				Thread.interrupted();
			}
		}

	}

}
