package dev.diagkit.export;

import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Comparator;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.diagkit.export.StoredProfile.Resolution;
import dev.diagkit.profiling.ProfileType;
import org.jspecify.annotations.Nullable;

/**
 * A file of the {@link LocalProfileStore} and its name, which says all a listing needs:
 * {@code <type>/<from>-<until>-<resolution>-<samples>.pb.gz}, such as
 * {@code cpu/1733011200000-1733011210000-raw-412.pb.gz}, with {@code from} and {@code until}
 * in epoch milliseconds padded to 13 digits, so that names sort by time. A file being
 * written has {@code .tmp} appended until it is complete and moved to its name.
 *
 * @param profile what the file holds
 * @param path where it is
 */
record StoreFile(StoredProfile profile, Path path) {

	static final String TEMP_SUFFIX = ".tmp";

	private static final Pattern NAME = Pattern.compile("(\\d{13,19})-(\\d{13,19})-(raw|5m|1h)-(\\d{1,19})\\.pb\\.gz");

	/** Oldest first: by start, then end, then type and resolution. */
	static final Comparator<StoreFile> OLDEST_FIRST = Comparator.comparing((StoreFile file) -> file.from())
		.thenComparing(StoreFile::until)
		.thenComparing((file) -> file.profile().type())
		.thenComparing((file) -> file.resolution())
		.thenComparing(StoreFile::path);

	/**
	 * Returns the file for a profile in the store's directory.
	 * @param directory the store's directory
	 * @param type the type
	 * @param resolution the resolution
	 * @param from the start
	 * @param until the end
	 * @param samples the sample count
	 * @param bytes the size
	 * @return the file
	 */
	static StoreFile of(Path directory, ProfileType type, Resolution resolution, Instant from, Instant until,
			long samples, long bytes) {
		String name = String.format(Locale.ROOT, "%013d-%013d-%s-%d.pb.gz", from.toEpochMilli(), until.toEpochMilli(),
				resolution.id(), samples);
		return new StoreFile(new StoredProfile(type, from, until, resolution, samples, bytes),
				directory.resolve(type.id()).resolve(name));
	}

	/**
	 * Returns the file a path names, or {@code null} if its name is not one of the store's.
	 * @param type the type of the directory it is in
	 * @param path the path
	 * @param bytes its size
	 * @return the file or {@code null}
	 */
	static @Nullable StoreFile parse(ProfileType type, Path path, long bytes) {
		Matcher matcher = NAME.matcher(path.getFileName().toString());
		if (!matcher.matches()) {
			return null;
		}
		try {
			Instant from = Instant.ofEpochMilli(Long.parseLong(matcher.group(1)));
			Instant until = Instant.ofEpochMilli(Long.parseLong(matcher.group(2)));
			if (until.isBefore(from)) {
				return null;
			}
			Resolution resolution = switch (matcher.group(3)) {
				case "raw" -> Resolution.RAW;
				case "5m" -> Resolution.FIVE_MINUTES;
				default -> Resolution.HOUR;
			};
			long samples = Long.parseLong(matcher.group(4));
			return new StoreFile(new StoredProfile(type, from, until, resolution, samples, bytes), path);
		}
		catch (NumberFormatException | DateTimeException ex) {
			return null;
		}
	}

	/**
	 * Returns the name the file has while it is written.
	 * @return the temporary file
	 */
	Path tempPath() {
		return this.path.resolveSibling(this.path.getFileName() + TEMP_SUFFIX);
	}

	ProfileType type() {
		return this.profile.type();
	}

	Instant from() {
		return this.profile.from();
	}

	Instant until() {
		return this.profile.until();
	}

	Resolution resolution() {
		return this.profile.resolution();
	}

	long bytes() {
		return this.profile.bytes();
	}

	/**
	 * Whether this file's windows are all in {@code other}, a coarser merge (or a merge of
	 * the same resolution over a longer span) of the same type: then this file is left over
	 * from a compaction that stopped before deleting its sources.
	 * @param other another file
	 * @return whether {@code other} supersedes this file
	 */
	boolean supersededBy(StoreFile other) {
		if (other.type() != type() || other.path.equals(this.path) || other.from().isAfter(from())
				|| other.until().isBefore(until())) {
			return false;
		}
		int finer = resolution().compareTo(other.resolution());
		return finer < 0 || (finer == 0 && Resolution.RAW != resolution()
				&& (other.from().isBefore(from()) || other.until().isAfter(until())));
	}

	/**
	 * Whether this file holds any of {@code [from, to)}; a file of no length holds its
	 * instant.
	 * @param from the start
	 * @param to the end
	 * @return whether the file overlaps the range
	 */
	boolean overlaps(Instant from, Instant to) {
		if (from().equals(until())) {
			return !from().isBefore(from) && from().isBefore(to);
		}
		return from().isBefore(to) && until().isAfter(from);
	}

}
