package dev.diagkit.profiling;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.zip.GZIPOutputStream;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import org.jspecify.annotations.Nullable;

import dev.diagkit.labels.LabelSet;
import dev.diagkit.profiling.Profile.Sample;
import dev.diagkit.profiling.ProfileType.ValueType;

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
 * Stateless and thread-safe. The protobuf wire format is written directly with
 * protobuf-java's {@link CodedOutputStream}; there is no generated code.
 */
public final class PprofWriter {

	/** The default size budget: 4 MiB, what Pyroscope accepts per profile. */
	public static final long DEFAULT_MAX_BYTES = 4L * 1024 * 1024;

	// Field numbers of pprof's proto/profile.proto.
	private static final int PROFILE_SAMPLE_TYPE = 1;

	private static final int PROFILE_SAMPLE = 2;

	private static final int PROFILE_MAPPING = 3;

	private static final int PROFILE_LOCATION = 4;

	private static final int PROFILE_FUNCTION = 5;

	private static final int PROFILE_STRING_TABLE = 6;

	private static final int PROFILE_TIME_NANOS = 9;

	private static final int PROFILE_DURATION_NANOS = 10;

	private static final int PROFILE_PERIOD_TYPE = 11;

	private static final int PROFILE_PERIOD = 12;

	private static final int PROFILE_COMMENT = 13;

	private static final int PROFILE_DEFAULT_SAMPLE_TYPE = 14;

	private static final int VALUE_TYPE_TYPE = 1;

	private static final int VALUE_TYPE_UNIT = 2;

	private static final int SAMPLE_LOCATION_ID = 1;

	private static final int SAMPLE_VALUE = 2;

	private static final int SAMPLE_LABEL = 3;

	private static final int LABEL_KEY = 1;

	private static final int LABEL_STR = 2;

	private static final int MAPPING_ID = 1;

	private static final int MAPPING_HAS_FUNCTIONS = 7;

	private static final int MAPPING_HAS_FILENAMES = 8;

	private static final int MAPPING_HAS_LINE_NUMBERS = 9;

	private static final int LOCATION_ID = 1;

	private static final int LOCATION_MAPPING_ID = 2;

	private static final int LOCATION_LINE = 4;

	private static final int LINE_FUNCTION_ID = 1;

	private static final int LINE_LINE = 2;

	private static final int FUNCTION_ID = 1;

	private static final int FUNCTION_NAME = 2;

	private static final int FUNCTION_SYSTEM_NAME = 3;

	private static final int FUNCTION_FILENAME = 4;

	private static final int LENGTH_DELIMITED = WireFormat.WIRETYPE_LENGTH_DELIMITED;

	/**
	 * All locations belong to this one mapping, which declares that functions, file names
	 * and lines are already known, so readers do not try to symbolize addresses.
	 */
	private static final long JVM_MAPPING_ID = 1;

	private static final int BUFFER_SIZE = 64 * 1024;

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
		byte[] all = encode(profile, profile.samples(), null);
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
			byte[] bytes = encode(profile, hottest(samples, hottestFirst, kept),
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

	private static byte[] encode(Profile profile, List<Sample> samples, @Nullable String dropNote) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(BUFFER_SIZE);
		try (GZIPOutputStream gzip = new GZIPOutputStream(bytes, BUFFER_SIZE)) {
			new Encoder(profile).encode(samples, dropNote, gzip);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Writing to memory failed", ex);
		}
		return bytes.toByteArray();
	}

	private static int lengthDelimitedSize(int field, int size) {
		return CodedOutputStream.computeTagSize(field) + CodedOutputStream.computeUInt32SizeNoTag(size) + size;
	}

	private static int nonZeroSize(int field, long value) {
		return (value != 0) ? CodedOutputStream.computeInt64Size(field, value) : 0;
	}

	/**
	 * One encoding of a profile: interns strings, functions and locations while writing
	 * samples, then writes the tables.
	 */
	private static final class Encoder {

		private final Profile profile;

		private final Map<String, Integer> stringIndex = new HashMap<>();

		private final List<String> strings = new ArrayList<>();

		private final Map<FunctionKey, Integer> functionIds = new HashMap<>();

		private final List<Function> functions = new ArrayList<>();

		private final Map<StackFrame, Integer> locationIds = new HashMap<>();

		private final List<Location> locations = new ArrayList<>();

		private int[] locationScratch = new int[64];

		private int[] labelScratch = new int[16];

		private int labelCount;

		Encoder(Profile profile) {
			this.profile = profile;
			string("");
		}

		void encode(List<Sample> samples, @Nullable String dropNote, OutputStream stream) throws IOException {
			List<ValueType> sampleTypes = this.profile.type().sampleTypes();
			ValueType periodType = this.profile.type().periodType();
			List<String> notes = new ArrayList<>(this.profile.notes());
			if (dropNote != null) {
				notes.add(dropNote);
			}
			// Strings of fields written after the string table are interned first.
			long[] comments = new long[notes.size()];
			for (int i = 0; i < comments.length; i++) {
				comments[i] = string(notes.get(i));
			}
			int periodTypeIndex = string(periodType.type());
			int periodUnitIndex = string(periodType.unit());
			CodedOutputStream out = CodedOutputStream.newInstance(stream, BUFFER_SIZE);
			for (ValueType type : sampleTypes) {
				writeValueType(out, PROFILE_SAMPLE_TYPE, string(type.type()), string(type.unit()));
			}
			int defaultSampleType = string(sampleTypes.get(sampleTypes.size() - 1).type());
			for (Sample sample : samples) {
				writeSample(out, sample, sampleTypes.size());
			}
			writeMapping(out);
			for (int i = 0; i < this.locations.size(); i++) {
				writeLocation(out, i + 1, this.locations.get(i));
			}
			for (int i = 0; i < this.functions.size(); i++) {
				writeFunction(out, i + 1, this.functions.get(i));
			}
			for (String s : this.strings) {
				out.writeString(PROFILE_STRING_TABLE, s);
			}
			out.writeInt64(PROFILE_TIME_NANOS, epochNanos(this.profile.start()));
			out.writeInt64(PROFILE_DURATION_NANOS, this.profile.duration().toNanos());
			writeValueType(out, PROFILE_PERIOD_TYPE, periodTypeIndex, periodUnitIndex);
			out.writeInt64(PROFILE_PERIOD, this.profile.period());
			if (comments.length > 0) {
				int size = 0;
				for (long comment : comments) {
					size += CodedOutputStream.computeInt64SizeNoTag(comment);
				}
				out.writeTag(PROFILE_COMMENT, LENGTH_DELIMITED);
				out.writeUInt32NoTag(size);
				for (long comment : comments) {
					out.writeInt64NoTag(comment);
				}
			}
			out.writeInt64(PROFILE_DEFAULT_SAMPLE_TYPE, defaultSampleType);
			out.flush();
		}

		private static long epochNanos(Instant instant) {
			return TimeUnit.SECONDS.toNanos(instant.getEpochSecond()) + instant.getNano();
		}

		private void writeValueType(CodedOutputStream out, int field, int type, int unit) throws IOException {
			out.writeTag(field, LENGTH_DELIMITED);
			out.writeUInt32NoTag(nonZeroSize(VALUE_TYPE_TYPE, type) + nonZeroSize(VALUE_TYPE_UNIT, unit));
			writeNonZero(out, VALUE_TYPE_TYPE, type);
			writeNonZero(out, VALUE_TYPE_UNIT, unit);
		}

		private void writeSample(CodedOutputStream out, Sample sample, int valueCount) throws IOException {
			long[] values = sample.values();
			if (values.length != valueCount) {
				throw new IllegalArgumentException("A " + this.profile.type().id() + " sample has " + valueCount
						+ " values, but one has " + values.length + ": " + sample);
			}
			List<StackFrame> stack = sample.stack();
			int depth = stack.size();
			if (this.locationScratch.length < depth) {
				this.locationScratch = new int[Math.max(depth, 2 * this.locationScratch.length)];
			}
			int locationsSize = 0;
			for (int i = 0; i < depth; i++) {
				int id = location(stack.get(i));
				this.locationScratch[i] = id;
				locationsSize += CodedOutputStream.computeUInt32SizeNoTag(id);
			}
			int valuesSize = 0;
			for (long value : values) {
				valuesSize += CodedOutputStream.computeInt64SizeNoTag(value);
			}
			internLabels(sample.labels());
			int labelsSize = 0;
			for (int i = 0; i < this.labelCount; i++) {
				labelsSize += lengthDelimitedSize(SAMPLE_LABEL, labelSize(i));
			}
			int size = ((depth > 0) ? lengthDelimitedSize(SAMPLE_LOCATION_ID, locationsSize) : 0)
					+ lengthDelimitedSize(SAMPLE_VALUE, valuesSize) + labelsSize;
			out.writeTag(PROFILE_SAMPLE, LENGTH_DELIMITED);
			out.writeUInt32NoTag(size);
			if (depth > 0) {
				out.writeTag(SAMPLE_LOCATION_ID, LENGTH_DELIMITED);
				out.writeUInt32NoTag(locationsSize);
				for (int i = 0; i < depth; i++) {
					out.writeUInt32NoTag(this.locationScratch[i]);
				}
			}
			out.writeTag(SAMPLE_VALUE, LENGTH_DELIMITED);
			out.writeUInt32NoTag(valuesSize);
			for (long value : values) {
				out.writeInt64NoTag(value);
			}
			for (int i = 0; i < this.labelCount; i++) {
				out.writeTag(SAMPLE_LABEL, LENGTH_DELIMITED);
				out.writeUInt32NoTag(labelSize(i));
				writeNonZero(out, LABEL_KEY, this.labelScratch[2 * i]);
				writeNonZero(out, LABEL_STR, this.labelScratch[2 * i + 1]);
			}
		}

		private void internLabels(LabelSet labels) {
			this.labelCount = 0;
			if (this.labelScratch.length < 2 * labels.size()) {
				this.labelScratch = new int[2 * labels.size()];
			}
			labels.forEach((key, value) -> {
				this.labelScratch[2 * this.labelCount] = string(key);
				this.labelScratch[2 * this.labelCount + 1] = string(value);
				this.labelCount++;
			});
		}

		private int labelSize(int i) {
			return nonZeroSize(LABEL_KEY, this.labelScratch[2 * i])
					+ nonZeroSize(LABEL_STR, this.labelScratch[2 * i + 1]);
		}

		private void writeMapping(CodedOutputStream out) throws IOException {
			out.writeTag(PROFILE_MAPPING, LENGTH_DELIMITED);
			out.writeUInt32NoTag(CodedOutputStream.computeUInt64Size(MAPPING_ID, JVM_MAPPING_ID)
					+ CodedOutputStream.computeBoolSize(MAPPING_HAS_FUNCTIONS, true)
					+ CodedOutputStream.computeBoolSize(MAPPING_HAS_FILENAMES, true)
					+ CodedOutputStream.computeBoolSize(MAPPING_HAS_LINE_NUMBERS, true));
			out.writeUInt64(MAPPING_ID, JVM_MAPPING_ID);
			out.writeBool(MAPPING_HAS_FUNCTIONS, true);
			out.writeBool(MAPPING_HAS_FILENAMES, true);
			out.writeBool(MAPPING_HAS_LINE_NUMBERS, true);
		}

		private void writeLocation(CodedOutputStream out, int id, Location location) throws IOException {
			int lineSize = CodedOutputStream.computeUInt64Size(LINE_FUNCTION_ID, location.functionId())
					+ nonZeroSize(LINE_LINE, location.line());
			out.writeTag(PROFILE_LOCATION, LENGTH_DELIMITED);
			out.writeUInt32NoTag(CodedOutputStream.computeUInt64Size(LOCATION_ID, id)
					+ CodedOutputStream.computeUInt64Size(LOCATION_MAPPING_ID, JVM_MAPPING_ID)
					+ lengthDelimitedSize(LOCATION_LINE, lineSize));
			out.writeUInt64(LOCATION_ID, id);
			out.writeUInt64(LOCATION_MAPPING_ID, JVM_MAPPING_ID);
			out.writeTag(LOCATION_LINE, LENGTH_DELIMITED);
			out.writeUInt32NoTag(lineSize);
			out.writeUInt64(LINE_FUNCTION_ID, location.functionId());
			writeNonZero(out, LINE_LINE, location.line());
		}

		private void writeFunction(CodedOutputStream out, int id, Function function) throws IOException {
			out.writeTag(PROFILE_FUNCTION, LENGTH_DELIMITED);
			out.writeUInt32NoTag(CodedOutputStream.computeUInt64Size(FUNCTION_ID, id)
					+ nonZeroSize(FUNCTION_NAME, function.name()) + nonZeroSize(FUNCTION_SYSTEM_NAME, function.name())
					+ nonZeroSize(FUNCTION_FILENAME, function.fileName()));
			out.writeUInt64(FUNCTION_ID, id);
			writeNonZero(out, FUNCTION_NAME, function.name());
			writeNonZero(out, FUNCTION_SYSTEM_NAME, function.name());
			writeNonZero(out, FUNCTION_FILENAME, function.fileName());
		}

		private static void writeNonZero(CodedOutputStream out, int field, long value) throws IOException {
			if (value != 0) {
				out.writeInt64(field, value);
			}
		}

		private int string(String s) {
			Integer index = this.stringIndex.get(s);
			if (index == null) {
				index = this.strings.size();
				this.strings.add(s);
				this.stringIndex.put(s, index);
			}
			return index;
		}

		private int location(StackFrame frame) {
			Integer id = this.locationIds.get(frame);
			if (id == null) {
				this.locations.add(new Location(function(frame), Math.max(0, frame.lineNumber())));
				id = this.locations.size();
				this.locationIds.put(frame, id);
			}
			return id;
		}

		private int function(StackFrame frame) {
			FunctionKey key = new FunctionKey(frame.className(), frame.methodName(), frame.fileName());
			Integer id = this.functionIds.get(key);
			if (id == null) {
				String fileName = frame.fileName();
				this.functions.add(new Function(string(frame.functionName()), (fileName != null) ? string(fileName) : 0));
				id = this.functions.size();
				this.functionIds.put(key, id);
			}
			return id;
		}

	}

	private record FunctionKey(String className, String methodName, @Nullable String fileName) {
	}

	/**
	 * A function's name and file as string-table indexes.
	 */
	private record Function(int name, int fileName) {
	}

	/**
	 * A location: one line of one function.
	 */
	private record Location(int functionId, int line) {
	}

}
