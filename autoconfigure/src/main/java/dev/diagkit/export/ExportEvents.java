package dev.diagkit.export;

import java.time.Duration;

/**
 * What continuous profiling reports as it runs, for meters: windows made, uploads and
 * drops. Implementations must be cheap and thread-safe; the default ignores everything.
 */
public interface ExportEvents {

	/** Ignores every event. */
	ExportEvents NONE = new ExportEvents() {
	};

	/**
	 * A window was made.
	 * @param window the window
	 */
	default void windowMade(ProfileWindow window) {
	}

	/**
	 * Samples of a window had stacks deeper than JFR records, so their roots are missing.
	 * @param window the window
	 * @param samples how many of its samples
	 */
	default void truncated(ProfileWindow window, long samples) {
	}

	/**
	 * A sink tried to deliver a window.
	 * @param sink the sink's name
	 * @param result {@code success}, {@code retry} (will be tried again) or {@code rejected}
	 * (refused for good)
	 * @param took how long the attempt took
	 */
	default void upload(String sink, String result, Duration took) {
	}

	/**
	 * Windows or samples were given up.
	 * @param reason why: {@code error} (a window could not be made), {@code sink-error} (a
	 * sink threw), {@code rejected} (refused for good by a backend), {@code spool-full},
	 * {@code spool-error}, {@code unreadable} (a spooled window could not be read back),
	 * {@code closed} (a sink closed before delivering), {@code retention} and
	 * {@code store-full} (the local store's limits, counted in files), {@code late} (a window
	 * the store had already compacted past), {@code store-error} (a window the store could
	 * not write)
	 * @param count how many windows (files, for the local store's limits)
	 */
	default void dropped(String reason, long count) {
	}

}
