package dev.diagkit.endpoint;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The limits on diag parameters and captures.
 *
 * @param maxConcurrentCaptures captures that may run at once
 * @param requestsPerMinute sustained calls per minute per client
 * @param burst calls a client may make at once
 * @param stacksMaxBytes the largest stacks answer
 * @param traceDefaultDuration the trace length when none is asked for
 * @param traceMaxDuration the longest trace
 * @param settingsDefaultTtl how long a settings change lasts when no ttl is given
 * @param settingsMaxTtl the longest a settings change may last
 */
public record DiagLimits(int maxConcurrentCaptures, int requestsPerMinute, int burst, long stacksMaxBytes,
		Duration traceDefaultDuration, Duration traceMaxDuration, Duration settingsDefaultTtl, Duration settingsMaxTtl) {

	/**
	 * Checks the limits.
	 */
	public DiagLimits {
		if (traceMaxDuration.toSeconds() < 1) {
			throw new IllegalArgumentException("diagkit.endpoint.trace.max-duration must be at least 1s, was "
					+ Durations.format(traceMaxDuration));
		}
		if (traceDefaultDuration.toSeconds() < 1 || traceDefaultDuration.compareTo(traceMaxDuration) > 0) {
			throw new IllegalArgumentException("diagkit.endpoint.trace.default-duration must be between 1s and "
					+ Durations.format(traceMaxDuration) + ", was " + Durations.format(traceDefaultDuration));
		}
		if (settingsDefaultTtl.compareTo(settingsMaxTtl) > 0 || settingsDefaultTtl.toSeconds() < 1) {
			throw new IllegalArgumentException("diagkit.endpoint.settings.default-ttl must be between 1s and "
					+ Durations.format(settingsMaxTtl) + ", was " + Durations.format(settingsDefaultTtl));
		}
		if (stacksMaxBytes < 1024) {
			throw new IllegalArgumentException("diagkit.endpoint.stacks.max-size must be at least 1KB, was "
					+ stacksMaxBytes + " bytes");
		}
	}

	Map<String, Object> describe() {
		Map<String, Object> limits = new LinkedHashMap<>();
		limits.put("maxConcurrentCaptures", this.maxConcurrentCaptures);
		limits.put("requestsPerMinute", this.requestsPerMinute);
		limits.put("burst", this.burst);
		limits.put("stacksMaxBytes", this.stacksMaxBytes);
		limits.put("traceDefaultSeconds", this.traceDefaultDuration.toSeconds());
		limits.put("traceMaxSeconds", this.traceMaxDuration.toSeconds());
		limits.put("settingsDefaultTtl", Durations.format(this.settingsDefaultTtl));
		limits.put("settingsMaxTtl", Durations.format(this.settingsMaxTtl));
		return limits;
	}

}
