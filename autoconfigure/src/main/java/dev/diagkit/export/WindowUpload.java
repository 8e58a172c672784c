package dev.diagkit.export;

import java.time.Instant;
import java.util.Objects;

import dev.diagkit.profiling.ProfileType;

/**
 * What a window's upload needs, without its {@link dev.diagkit.profiling.Profile}: the encoded
 * pprof and what the ingest request names (type, period, range, series). This is what waits
 * in memory and in the spool, so a waiting window costs its pprof bytes and little more.
 *
 * @param sequence the window's number in the run that made it, for logs
 * @param type the kind of profile
 * @param from the start, inclusive
 * @param until the end, exclusive
 * @param series the service and static labels
 * @param period the profile's sampling period, in the unit of the type's period type
 * @param pprof the gzip'd pprof
 */
record WindowUpload(long sequence, ProfileType type, Instant from, Instant until, SeriesLabels series, long period,
		byte[] pprof) {

	WindowUpload {
		Objects.requireNonNull(type, "type must not be null");
		Objects.requireNonNull(from, "from must not be null");
		Objects.requireNonNull(until, "until must not be null");
		Objects.requireNonNull(series, "series must not be null");
		Objects.requireNonNull(pprof, "pprof must not be null");
	}

	static WindowUpload of(ProfileWindow window) {
		return new WindowUpload(window.sequence(), window.type(), window.from(), window.until(), window.series(),
				window.profile().period(), window.pprof());
	}

	/**
	 * Returns how many samples a second the profile was taken at, for the ingest request's
	 * {@code sampleRate}: only a CPU profile has one, its period being a time.
	 * @return the rate, or 0 when the profile has none
	 */
	long sampleRate() {
		if (this.type != ProfileType.CPU || this.period <= 0) {
			return 0;
		}
		return Math.max(1, Math.round(1e9 / this.period));
	}

	@Override
	public String toString() {
		return this.type.id() + " window " + this.sequence + " [" + this.from + ", " + this.until + ")";
	}

}
