package dev.diagkit.profiling;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

import dev.diagkit.profiling.Profile.Sample;
import dev.diagkit.profiling.ProfileType.ValueType;
import org.jspecify.annotations.Nullable;

/**
 * Writes a {@link Profile} as a gzip-compressed pprof {@code profile.proto}, the format of
 * Go's {@code runtime/pprof} that {@code go tool pprof}, Pyroscope and Grafana read.
 * <p>
 * Every sample keeps its stack (leaf first), its values and its labels, each label as a
 * string label, so {@code go tool pprof -tagfocus=tenant=acme} works on the output. A frame
 * becomes a function named {@code class.method} with its source file, and a location per
 * distinct (function, line); strings, functions and locations are written once. The
 * profile's notes become comments ({@code go tool pprof -comments}), and the last sample
 * type (CPU time, allocated bytes, contention delay) is the default one.
 * <p>
 * Output is kept under a size budget, by default {@value #DEFAULT_MAX_BYTES} bytes
 * (Pyroscope's limit per profile). A profile that would be larger loses its coldest
 * samples, ranked by their last value, until it fits, and a comment says how many were
 * dropped; a profile is never rejected. The trimmed output fills at least 95% of the
 * budget or keeps within half a percent of the most samples that fit; if not even a
 * profile without samples fits, that one is written anyway.
 * <p>
 * Stateless and thread-safe. This class decides which samples fit the budget;
 * {@link PprofEncoding} writes the wire format.
 */
public final class PprofWriter {

	/** The default size budget: 4 MiB, what Pyroscope accepts per profile. */
	public static final long DEFAULT_MAX_BYTES = 4L * 1024 * 1024;

	/** The share of the budget a trimmed profile aims to fill. */
	private static final double TARGET_FILL = 0.97;

	/** The share of the budget a trimmed profile may stop at. */
	private static final double GOOD_FILL = 0.95;

	/**
	 * Writes the profile within the default size budget.
	 * @param profile the profile
	 * @return the gzip'd {@code profile.proto}
	 */
	public byte[] write(Profile profile) {
		return write(profile, DEFAULT_MAX_BYTES);
	}

	/**
	 * Writes the profile within the default size budget.
	 * @param profile the profile
	 * @param out receives the gzip'd {@code profile.proto}; it is not closed
	 * @throws IOException if writing to {@code out} fails
	 */
	public void write(Profile profile, OutputStream out) throws IOException {
		out.write(write(profile));
	}

	/**
	 * Writes the profile within a size budget, dropping its coldest samples if needed.
	 * @param profile the profile
	 * @param maxBytes the most bytes the gzip'd output may take
	 * @param out receives the gzip'd {@code profile.proto}; it is not closed
	 * @throws IOException if writing to {@code out} fails
	 * @throws IllegalArgumentException if {@code maxBytes} is not positive
	 */
	public void write(Profile profile, long maxBytes, OutputStream out) throws IOException {
		out.write(write(profile, maxBytes));
	}

	/**
	 * Writes the profile within a size budget, dropping its coldest samples if needed.
	 * @param profile the profile
	 * @param maxBytes the most bytes the gzip'd output may take
	 * @return the gzip'd {@code profile.proto}
	 * @throws IllegalArgumentException if {@code maxBytes} is not positive
	 */
	public byte[] write(Profile profile, long maxBytes) {
		if (maxBytes <= 0) {
			throw new IllegalArgumentException("maxBytes must be positive, was " + maxBytes);
		}
		byte[] all = PprofEncoding.encode(profile, profile.samples(), null);
		if (all.length <= maxBytes || profile.samples().isEmpty()) {
			return all;
		}
		return writeHottest(profile, maxBytes, all.length);
	}

	private byte[] writeHottest(Profile profile, long maxBytes, int fullSize) {
		List<Sample> samples = profile.samples();
		int n = samples.size();
		int last = profile.type().sampleTypes().size() - 1;
		int[] hottestFirst = IntStream.range(0, n)
			.boxed()
			.sorted(Comparator.comparingLong((Integer i) -> samples.get(i).value(last)).reversed())
			.mapToInt(Integer::intValue)
			.toArray();
		int tolerance = Math.max(1, n / 200);
		// The count kept lies between lo (fits, or 0) and hi (too big). Sizes grow about
		// linearly with the samples kept, so a guess interpolates the count that fills
		// TARGET_FILL of the budget; after two results on the same side the next guess
		// bisects, which bounds the search where the line fits badly.
		int lo = 0;
		long loSize = 0;
		int hi = n;
		long hiSize = fullSize;
		int sameSide = 0;
		boolean lastFit = false;
		byte @Nullable [] best = null;
		while (true) {
			int kept = (sameSide < 2 && hiSize > loSize)
					? lo + (int) ((hi - lo) * Math.max(0, TARGET_FILL * maxBytes - loSize) / (hiSize - loSize))
					: lo + (hi - lo) / 2;
			kept = Math.max((best != null) ? lo + 1 : 0, Math.min(hi - 1, kept));
			byte[] bytes = PprofEncoding.encode(profile, hottest(samples, hottestFirst, kept),
					dropNote(profile, samples, hottestFirst, kept, maxBytes));
			boolean fits = bytes.length <= maxBytes;
			sameSide = (fits == lastFit) ? sameSide + 1 : 1;
			lastFit = fits;
			if (fits) {
				best = bytes;
				lo = kept;
				loSize = bytes.length;
				if (bytes.length >= GOOD_FILL * maxBytes) {
					return best;
				}
			}
			else {
				hi = kept;
				hiSize = bytes.length;
				if (kept == 0) {
					return bytes;
				}
			}
			if (best != null && hi - lo <= tolerance) {
				return best;
			}
		}
	}

	private static List<Sample> hottest(List<Sample> samples, int[] hottestFirst, int kept) {
		boolean[] keep = new boolean[samples.size()];
		for (int i = 0; i < kept; i++) {
			keep[hottestFirst[i]] = true;
		}
		List<Sample> result = new ArrayList<>(kept);
		for (int i = 0; i < keep.length; i++) {
			if (keep[i]) {
				result.add(samples.get(i));
			}
		}
		return result;
	}

	private static String dropNote(Profile profile, List<Sample> samples, int[] hottestFirst, int kept,
			long maxBytes) {
		List<ValueType> types = profile.type().sampleTypes();
		int last = types.size() - 1;
		double total = 0;
		double dropped = 0;
		for (int i = 0; i < hottestFirst.length; i++) {
			long value = samples.get(hottestFirst[i]).value(last);
			total += value;
			if (i >= kept) {
				dropped += value;
			}
		}
		ValueType type = types.get(last);
		String share = (total > 0) ? String.format(Locale.ROOT, "%.1f%%", 100 * dropped / total) : "0%";
		return "Dropped the " + (samples.size() - kept) + " coldest of " + samples.size() + " samples, holding "
				+ share + " of " + type.type() + " " + type.unit() + ", to fit the limit of " + maxBytes + " bytes";
	}

}
