package dev.diagkit.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.apache.commons.logging.Log;
import org.jspecify.annotations.Nullable;

/**
 * Starts the JFR streams the meters read: only the given events, with no threshold, 10 s
 * of events kept, delivered on JFR's own stream thread about once a second.
 */
final class JfrEventStream {

	private JfrEventStream() {
	}

	/**
	 * Starts a stream, or says why not where JFR is unavailable.
	 * @param handlers what to do with each event, by event name
	 * @param logger where to say that the meters are off
	 * @param what the meters, for that message
	 * @return the running stream, or {@code null}
	 */
	static @Nullable RecordingStream start(Map<String, Consumer<RecordedEvent>> handlers, Log logger, String what) {
		RecordingStream recording = null;
		try {
			recording = new RecordingStream();
			for (String event : handlers.keySet()) {
				recording.enable(event).withThreshold(Duration.ZERO);
			}
			recording.setMaxAge(Duration.ofSeconds(10));
			handlers.forEach(recording::onEvent);
			recording.startAsync();
			return recording;
		}
		catch (RuntimeException | LinkageError ex) {
			if (recording != null) {
				recording.close();
			}
			logger.info("JFR is not available; " + what + " are off: " + ex);
			return null;
		}
	}

}
