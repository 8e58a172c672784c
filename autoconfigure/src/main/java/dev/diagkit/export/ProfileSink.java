package dev.diagkit.export;

import java.time.Duration;

/**
 * Where continuous profiling sends its windows: the local store, Pyroscope, or an
 * application's own bean (object storage, say). The profiler calls {@link #accept} on its
 * own thread, once per window, in order; a sink must return quickly and do slow work (I/O
 * to a remote backend) on a thread of its own, so that a slow sink never delays the next
 * window.
 */
public interface ProfileSink extends AutoCloseable {

	/**
	 * Returns the sink's name, used in meters ({@code sink} tag) and logs.
	 * @return the name, such as {@code store} or {@code pyroscope}
	 */
	String name();

	/**
	 * Takes a window. Must not block on a remote system; bounded local work (writing a file,
	 * occasional housekeeping with a time budget, as the local store's compaction) is fine.
	 * @param window the window
	 */
	void accept(ProfileWindow window);

	/**
	 * Delivers what the sink still holds, waiting at most {@code timeout}; called at shutdown
	 * after the last window. What cannot be delivered in time stays where the sink keeps
	 * undelivered windows (a spool) or is dropped and counted.
	 * @param timeout the longest wait
	 */
	default void flush(Duration timeout) {
	}

	/**
	 * Releases the sink's threads and files; called after {@link #flush}.
	 */
	@Override
	default void close() {
	}

}
