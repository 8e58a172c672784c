package dev.diagkit.profiling;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import dev.diagkit.labels.LabelSet;
import dev.diagkit.profiling.Profile.Sample;
import dev.diagkit.profiling.ProfileType.ValueType;
import org.jspecify.annotations.Nullable;

import static dev.diagkit.profiling.PprofFields.FUNCTION_FILENAME;
import static dev.diagkit.profiling.PprofFields.FUNCTION_ID;
import static dev.diagkit.profiling.PprofFields.FUNCTION_NAME;
import static dev.diagkit.profiling.PprofFields.FUNCTION_SYSTEM_NAME;
import static dev.diagkit.profiling.PprofFields.LABEL_KEY;
import static dev.diagkit.profiling.PprofFields.LABEL_STR;
import static dev.diagkit.profiling.PprofFields.LINE_FUNCTION_ID;
import static dev.diagkit.profiling.PprofFields.LINE_LINE;
import static dev.diagkit.profiling.PprofFields.LOCATION_ID;
import static dev.diagkit.profiling.PprofFields.LOCATION_LINE;
import static dev.diagkit.profiling.PprofFields.LOCATION_MAPPING_ID;
import static dev.diagkit.profiling.PprofFields.MAPPING_HAS_FILENAMES;
import static dev.diagkit.profiling.PprofFields.MAPPING_HAS_FUNCTIONS;
import static dev.diagkit.profiling.PprofFields.MAPPING_HAS_LINE_NUMBERS;
import static dev.diagkit.profiling.PprofFields.MAPPING_ID;
import static dev.diagkit.profiling.PprofFields.PROFILE_COMMENT;
import static dev.diagkit.profiling.PprofFields.PROFILE_DEFAULT_SAMPLE_TYPE;
import static dev.diagkit.profiling.PprofFields.PROFILE_DURATION_NANOS;
import static dev.diagkit.profiling.PprofFields.PROFILE_FUNCTION;
import static dev.diagkit.profiling.PprofFields.PROFILE_LOCATION;
import static dev.diagkit.profiling.PprofFields.PROFILE_MAPPING;
import static dev.diagkit.profiling.PprofFields.PROFILE_PERIOD;
import static dev.diagkit.profiling.PprofFields.PROFILE_PERIOD_TYPE;
import static dev.diagkit.profiling.PprofFields.PROFILE_SAMPLE;
import static dev.diagkit.profiling.PprofFields.PROFILE_SAMPLE_TYPE;
import static dev.diagkit.profiling.PprofFields.PROFILE_STRING_TABLE;
import static dev.diagkit.profiling.PprofFields.PROFILE_TIME_NANOS;
import static dev.diagkit.profiling.PprofFields.SAMPLE_LABEL;
import static dev.diagkit.profiling.PprofFields.SAMPLE_LOCATION_ID;
import static dev.diagkit.profiling.PprofFields.SAMPLE_VALUE;
import static dev.diagkit.profiling.PprofFields.VALUE_TYPE_TYPE;
import static dev.diagkit.profiling.PprofFields.VALUE_TYPE_UNIT;

/**
 * The wire encoding of a {@link Profile} as a gzip-compressed pprof {@code profile.proto}:
 * every sample with its stack (leaf first), values and string labels; a function per
 * {@code class.method} with its source file and a location per distinct (function, line),
 * each written once, as are strings; the profile's notes as comments. {@link PprofWriter}
 * decides which samples to write.
 */
final class PprofEncoding {

	/**
	 * All locations belong to this one mapping, which declares that functions, file names
	 * and lines are already known, so readers do not try to symbolize addresses.
	 */
	private static final long JVM_MAPPING_ID = 1;

	private static final int BUFFER_SIZE = 64 * 1024;

	private PprofEncoding() {
	}

	/**
	 * Encodes a profile with the given samples (all of the profile's, or the ones a size
	 * budget keeps) and an extra comment.
	 * @param profile the profile
	 * @param samples the samples to write
	 * @param note a comment to add, or {@code null}
	 * @return the gzip'd {@code profile.proto}
	 */
	static byte[] encode(Profile profile, List<Sample> samples, @Nullable String note) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(BUFFER_SIZE);
		try (GZIPOutputStream gzip = new GZIPOutputStream(bytes, BUFFER_SIZE)) {
			new Encoder(profile).encode(samples, note, gzip);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Writing to memory failed", ex);
		}
		return bytes.toByteArray();
	}

	private static int nonZeroSize(int field, long value) {
		return (value != 0) ? ProtobufOutput.varintFieldSize(field, value) : 0;
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

		void encode(List<Sample> samples, @Nullable String note, OutputStream stream) throws IOException {
			List<ValueType> sampleTypes = this.profile.type().sampleTypes();
			ValueType periodType = this.profile.type().periodType();
			List<String> notes = new ArrayList<>(this.profile.notes());
			if (note != null) {
				notes.add(note);
			}
			// Strings of fields written after the string table are interned first.
			long[] comments = new long[notes.size()];
			for (int i = 0; i < comments.length; i++) {
				comments[i] = string(notes.get(i));
			}
			int periodTypeIndex = string(periodType.type());
			int periodUnitIndex = string(periodType.unit());
			ProtobufOutput out = new ProtobufOutput(stream, BUFFER_SIZE);
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
				out.stringField(PROFILE_STRING_TABLE, s);
			}
			out.varintField(PROFILE_TIME_NANOS, epochNanos(this.profile.start()));
			out.varintField(PROFILE_DURATION_NANOS, this.profile.duration().toNanos());
			writeValueType(out, PROFILE_PERIOD_TYPE, periodTypeIndex, periodUnitIndex);
			out.varintField(PROFILE_PERIOD, this.profile.period());
			if (comments.length > 0) {
				int size = 0;
				for (long comment : comments) {
					size += ProtobufOutput.varintSize(comment);
				}
				out.lengthDelimited(PROFILE_COMMENT, size);
				for (long comment : comments) {
					out.varint(comment);
				}
			}
			out.varintField(PROFILE_DEFAULT_SAMPLE_TYPE, defaultSampleType);
			out.flush();
		}

		private static long epochNanos(Instant instant) {
			return TimeUnit.SECONDS.toNanos(instant.getEpochSecond()) + instant.getNano();
		}

		private void writeValueType(ProtobufOutput out, int field, int type, int unit) throws IOException {
			out.lengthDelimited(field, nonZeroSize(VALUE_TYPE_TYPE, type) + nonZeroSize(VALUE_TYPE_UNIT, unit));
			writeNonZero(out, VALUE_TYPE_TYPE, type);
			writeNonZero(out, VALUE_TYPE_UNIT, unit);
		}

		private void writeSample(ProtobufOutput out, Sample sample, int valueCount) throws IOException {
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
				locationsSize += ProtobufOutput.varintSize(id);
			}
			int valuesSize = 0;
			for (long value : values) {
				valuesSize += ProtobufOutput.varintSize(value);
			}
			internLabels(sample.labels());
			int labelsSize = 0;
			for (int i = 0; i < this.labelCount; i++) {
				labelsSize += ProtobufOutput.lengthDelimitedSize(SAMPLE_LABEL, labelSize(i));
			}
			int size = ((depth > 0) ? ProtobufOutput.lengthDelimitedSize(SAMPLE_LOCATION_ID, locationsSize) : 0)
					+ ProtobufOutput.lengthDelimitedSize(SAMPLE_VALUE, valuesSize) + labelsSize;
			out.lengthDelimited(PROFILE_SAMPLE, size);
			if (depth > 0) {
				out.lengthDelimited(SAMPLE_LOCATION_ID, locationsSize);
				for (int i = 0; i < depth; i++) {
					out.varint(this.locationScratch[i]);
				}
			}
			out.lengthDelimited(SAMPLE_VALUE, valuesSize);
			for (long value : values) {
				out.varint(value);
			}
			for (int i = 0; i < this.labelCount; i++) {
				out.lengthDelimited(SAMPLE_LABEL, labelSize(i));
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

		private void writeMapping(ProtobufOutput out) throws IOException {
			out.lengthDelimited(PROFILE_MAPPING, ProtobufOutput.varintFieldSize(MAPPING_ID, JVM_MAPPING_ID)
					+ ProtobufOutput.varintFieldSize(MAPPING_HAS_FUNCTIONS, 1)
					+ ProtobufOutput.varintFieldSize(MAPPING_HAS_FILENAMES, 1)
					+ ProtobufOutput.varintFieldSize(MAPPING_HAS_LINE_NUMBERS, 1));
			out.varintField(MAPPING_ID, JVM_MAPPING_ID);
			out.varintField(MAPPING_HAS_FUNCTIONS, 1);
			out.varintField(MAPPING_HAS_FILENAMES, 1);
			out.varintField(MAPPING_HAS_LINE_NUMBERS, 1);
		}

		private void writeLocation(ProtobufOutput out, int id, Location location) throws IOException {
			int lineSize = ProtobufOutput.varintFieldSize(LINE_FUNCTION_ID, location.functionId())
					+ nonZeroSize(LINE_LINE, location.line());
			out.lengthDelimited(PROFILE_LOCATION, ProtobufOutput.varintFieldSize(LOCATION_ID, id)
					+ ProtobufOutput.varintFieldSize(LOCATION_MAPPING_ID, JVM_MAPPING_ID)
					+ ProtobufOutput.lengthDelimitedSize(LOCATION_LINE, lineSize));
			out.varintField(LOCATION_ID, id);
			out.varintField(LOCATION_MAPPING_ID, JVM_MAPPING_ID);
			out.lengthDelimited(LOCATION_LINE, lineSize);
			out.varintField(LINE_FUNCTION_ID, location.functionId());
			writeNonZero(out, LINE_LINE, location.line());
		}

		private void writeFunction(ProtobufOutput out, int id, Function function) throws IOException {
			out.lengthDelimited(PROFILE_FUNCTION, ProtobufOutput.varintFieldSize(FUNCTION_ID, id)
					+ nonZeroSize(FUNCTION_NAME, function.name()) + nonZeroSize(FUNCTION_SYSTEM_NAME, function.name())
					+ nonZeroSize(FUNCTION_FILENAME, function.fileName()));
			out.varintField(FUNCTION_ID, id);
			writeNonZero(out, FUNCTION_NAME, function.name());
			writeNonZero(out, FUNCTION_SYSTEM_NAME, function.name());
			writeNonZero(out, FUNCTION_FILENAME, function.fileName());
		}

		private static void writeNonZero(ProtobufOutput out, int field, long value) throws IOException {
			if (value != 0) {
				out.varintField(field, value);
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
