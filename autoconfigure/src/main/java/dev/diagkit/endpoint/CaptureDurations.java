package dev.diagkit.endpoint;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How long captures (traces, profiles) record: the length when a call gives no
 * {@code seconds}, and the longest a call may ask for.
 *
 * @param defaultDuration the length when none is asked for
 * @param maxDuration the longest capture
 */
public record CaptureDurations(Duration defaultDuration, Duration maxDuration) {

	/**
	 * Reads the {@code seconds} parameter of a call.
	 * @param request the call
	 * @return the capture's length
	 * @throws InvalidParameterException if {@code seconds} is not a whole number from 1 to
	 * the maximum
	 */
	Duration of(DiagRequest request) {
		return Duration.ofSeconds(request.integer("seconds", (int) this.defaultDuration.toSeconds(), 1,
				(int) this.maxDuration.toSeconds()));
	}

	Map<String, Object> limits() {
		Map<String, Object> limits = new LinkedHashMap<>();
		limits.put("traceDefaultSeconds", this.defaultDuration.toSeconds());
		limits.put("traceMaxSeconds", this.maxDuration.toSeconds());
		return limits;
	}

}
