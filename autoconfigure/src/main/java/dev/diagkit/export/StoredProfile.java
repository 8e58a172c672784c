package dev.diagkit.export;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import dev.diagkit.profiling.ProfileType;

/**
 * A profile file the {@link LocalProfileStore} keeps: one window as the profiler made it, or
 * the merge of the windows of five minutes or an hour.
 *
 * @param type the kind of profile
 * @param from the start of the first window it holds, inclusive
 * @param until the end of the last window it holds, exclusive
 * @param resolution whether it is a window or a merge of five minutes or an hour
 * @param samples how many samples it holds (the first value of every sample summed)
 * @param bytes the size of its file
 */
public record StoredProfile(ProfileType type, Instant from, Instant until, Resolution resolution, long samples,
		long bytes) {

	/**
	 * Checks the parts.
	 */
	public StoredProfile {
		Objects.requireNonNull(type, "type must not be null");
		Objects.requireNonNull(from, "from must not be null");
		Objects.requireNonNull(until, "until must not be null");
		Objects.requireNonNull(resolution, "resolution must not be null");
	}

	/**
	 * How finely a stored profile keeps time, from the finest to the coarsest.
	 */
	public enum Resolution {

		/** One window as the profiler made it. */
		RAW("raw", Duration.ZERO),

		/** The windows of five minutes (of the epoch's five-minute grid) merged. */
		FIVE_MINUTES("5m", Duration.ofMinutes(5)),

		/** The windows of an hour (of the epoch's hourly grid) merged. */
		HOUR("1h", Duration.ofHours(1));

		private final String id;

		private final Duration bucket;

		Resolution(String id, Duration bucket) {
			this.id = id;
			this.bucket = bucket;
		}

		/**
		 * Returns the name used in file names and listings: {@code raw}, {@code 5m} or
		 * {@code 1h}.
		 * @return the id
		 */
		public String id() {
			return this.id;
		}

		/**
		 * Returns the span of time whose windows a merged profile holds, or zero for a raw
		 * window.
		 * @return the span
		 */
		public Duration bucket() {
			return this.bucket;
		}

	}

}
