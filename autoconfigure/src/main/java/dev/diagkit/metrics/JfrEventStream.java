package dev.diagkit.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.apache.commons.logging.Log;
import org.jspecify.annotations.Nullable;

/**
 * The JFR stream a binder's meters read, from its first {@link #start()} until
 * {@link #close()}: only the given events, with no threshold, 10 s of events kept, delivered
 * on JFR's own stream thread about once a second.
 */
final class JfrEventStream {

	private final Map<String, Consumer<RecordedEvent>> handlers;

	private final Log logger;

	private final String what;

	private @Nullable RecordingStream stream;

	private boolean closed;

	/**
	 * Creates the stream, not started yet.
	 * @param handlers what to do with each event, by event name
	 * @param logger where to say that the meters are off
	 * @param what the meters, for that message
	 */
	JfrEventStream(Map<String, Consumer<RecordedEvent>> handlers, Log logger, String what) {
		this.handlers = Map.copyOf(handlers);
		this.logger = logger;
		this.what = what;
	}

	/**
	 * Starts the stream unless it runs already.
	 * @return whether it runs: not once closed, nor where JFR is unavailable (said once)
	 */
	synchronized boolean start() {
		if (this.stream == null && !this.closed) {
			RecordingStream recording = null;
			try {
				recording = new RecordingStream();
				for (String event : this.handlers.keySet()) {
					recording.enable(event).withThreshold(Duration.ZERO);
				}
				recording.setMaxAge(Duration.ofSeconds(10));
				this.handlers.forEach(recording::onEvent);
				recording.startAsync();
				this.stream = recording;
			}
			catch (RuntimeException | LinkageError ex) {
				if (recording != null) {
					recording.close();
				}
				this.closed = true;
				this.logger.info("JFR is not available; " + this.what + " are off: " + ex);
			}
		}
		return this.stream != null;
	}

	/** Ends the stream for good. */
	synchronized void close() {
		this.closed = true;
		RecordingStream recording = this.stream;
		this.stream = null;
		if (recording != null) {
			recording.close();
		}
	}

}
