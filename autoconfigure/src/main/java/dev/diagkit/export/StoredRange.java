package dev.diagkit.export;

import java.time.Instant;
import java.util.Objects;

import dev.diagkit.profiling.Profile;

/**
 * The answer of a range query to the {@link LocalProfileStore}: the stored profiles that
 * overlap the range asked for, merged. Stored profiles are merged whole, so the time covered
 * is widened to their boundaries: it may start before and end after the range asked for.
 *
 * @param profile the merged profile, starting at {@code coveredFrom} and lasting until
 * {@code coveredUntil}
 * @param coveredFrom the start of the earliest stored profile merged, or the start asked for
 * if none was
 * @param coveredUntil the end of the latest stored profile merged, or the start asked for if
 * none was
 * @param files how many stored profiles were merged
 */
public record StoredRange(Profile profile, Instant coveredFrom, Instant coveredUntil, int files) {

	/**
	 * Checks the parts.
	 */
	public StoredRange {
		Objects.requireNonNull(profile, "profile must not be null");
		Objects.requireNonNull(coveredFrom, "coveredFrom must not be null");
		Objects.requireNonNull(coveredUntil, "coveredUntil must not be null");
	}

}
