package dev.diagkit.export;

import java.time.Instant;
import java.util.Objects;

import dev.diagkit.profiling.Profile;
import dev.diagkit.profiling.ProfileType;

/**
 * One period of continuous profiling for one type: the samples whose instant fell in
 * {@code [from, until)}, each with the labels its thread carried. Windows of one type chain:
 * a window's {@code until} is the next one's {@code from}.
 *
 * @param sequence the window's number since profiling started, from 0; all types of one
 * period share it
 * @param type the kind of profile
 * @param from the start, inclusive
 * @param until the end, exclusive
 * @param series the service and static labels
 * @param profile the samples
 * @param pprof the profile as gzip'd pprof, with {@code time_nanos} = {@code from} and
 * {@code duration_nanos} = {@code until - from}; shared by every sink without a copy, so
 * nobody may change it
 */
public record ProfileWindow(long sequence, ProfileType type, Instant from, Instant until, SeriesLabels series,
		Profile profile, byte[] pprof) {

	/**
	 * Checks the parts.
	 */
	public ProfileWindow {
		Objects.requireNonNull(type, "type must not be null");
		Objects.requireNonNull(from, "from must not be null");
		Objects.requireNonNull(until, "until must not be null");
		Objects.requireNonNull(series, "series must not be null");
		Objects.requireNonNull(profile, "profile must not be null");
		Objects.requireNonNull(pprof, "pprof must not be null");
		if (until.isBefore(from)) {
			throw new IllegalArgumentException("until " + until + " is before from " + from);
		}
	}

	/**
	 * Returns how many samples the window holds (the first value of every sample summed).
	 * @return the count
	 */
	public long sampleCount() {
		long count = 0;
		for (Profile.Sample sample : this.profile.samples()) {
			count += sample.value(0);
		}
		return count;
	}

}
