package dev.diagkit.profiling;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import dev.diagkit.labels.LabelSet;
import dev.diagkit.profiling.ProfileType.ValueType;
import org.jspecify.annotations.Nullable;

import static dev.diagkit.profiling.PprofFields.FUNCTION_FILENAME;
import static dev.diagkit.profiling.PprofFields.FUNCTION_ID;
import static dev.diagkit.profiling.PprofFields.FUNCTION_NAME;
import static dev.diagkit.profiling.PprofFields.FUNCTION_SYSTEM_NAME;
import static dev.diagkit.profiling.PprofFields.LABEL_KEY;
import static dev.diagkit.profiling.PprofFields.LABEL_NUM;
import static dev.diagkit.profiling.PprofFields.LABEL_NUM_UNIT;
import static dev.diagkit.profiling.PprofFields.LABEL_STR;
import static dev.diagkit.profiling.PprofFields.LINE_FUNCTION_ID;
import static dev.diagkit.profiling.PprofFields.LINE_LINE;
import static dev.diagkit.profiling.PprofFields.LOCATION_ADDRESS;
import static dev.diagkit.profiling.PprofFields.LOCATION_ID;
import static dev.diagkit.profiling.PprofFields.LOCATION_LINE;
import static dev.diagkit.profiling.PprofFields.PROFILE_COMMENT;
import static dev.diagkit.profiling.PprofFields.PROFILE_DURATION_NANOS;
import static dev.diagkit.profiling.PprofFields.PROFILE_FUNCTION;
import static dev.diagkit.profiling.PprofFields.PROFILE_LOCATION;
import static dev.diagkit.profiling.PprofFields.PROFILE_PERIOD;
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
 * Reads a pprof {@code profile.proto}, gzip'd or plain, back into a {@link Profile}: the
 * counterpart of {@link PprofWriter}, and a reader of Go's CPU, allocation and mutex
 * profiles too.
 * <p>
 * The {@link ProfileType} is recognised by the profile's sample types ({@code samples/count}
 * and {@code cpu/nanoseconds} for CPU, {@code alloc_objects/count} and
 * {@code alloc_space/bytes} for allocation, {@code contentions/count} and
 * {@code delay/nanoseconds} for lock contention; other sample types may be present), or
 * named by the caller, in which case a profile with exactly as many sample types as the
 * named type is read in their order. {@code time_nanos} becomes the start,
 * {@code duration_nanos} the duration, and {@code period} the period. Each sample keeps its
 * values and its stack, leaf first: a location holding several lines (inlined functions)
 * gives a frame per line, and a function named {@code com.acme.Pricing.compute} gives the
 * frame's class ({@code com.acme.Pricing}) and method ({@code compute}), split at the last
 * dot; a name without a dot is a method of an empty class name. String labels become the
 * sample's {@link LabelSet}; numeric labels are skipped. Comments become notes.
 * <p>
 * A profile is read whole into memory, at most {@value #DEFAULT_MAX_BYTES} bytes once
 * decompressed unless another limit is given, and every length it declares is checked
 * against what remains of it. Anything that is not a pprof profile, a truncated one, or one
 * whose sample types are not the expected ones, is refused with an {@link IOException}
 * saying what was wrong.
 * <p>
 * Stateless and thread-safe.
 */
public final class PprofReader {

	/** The default limit on a profile's size once decompressed: 64 MiB. */
	public static final int DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

	private static final int GZIP_MAGIC_1 = 0x1f;

	private static final int GZIP_MAGIC_2 = 0x8b;

	private final int maxBytes;

	/**
	 * Creates a reader that accepts profiles of up to {@value #DEFAULT_MAX_BYTES} bytes once
	 * decompressed.
	 */
	public PprofReader() {
		this(DEFAULT_MAX_BYTES);
	}

	/**
	 * Creates a reader with a limit on a profile's size.
	 * @param maxBytes the most bytes a profile may take once decompressed
	 * @throws IllegalArgumentException if {@code maxBytes} is not positive
	 */
	public PprofReader(int maxBytes) {
		if (maxBytes <= 0) {
			throw new IllegalArgumentException("maxBytes must be positive, was " + maxBytes);
		}
		this.maxBytes = maxBytes;
	}

	/**
	 * Reads a profile, recognising its type by its sample types.
	 * @param pprof the gzip'd or plain {@code profile.proto}
	 * @return the profile
	 * @throws IOException if the bytes are not a pprof profile of a known type
	 */
	public Profile read(byte[] pprof) throws IOException {
		return parse(decompress(pprof), null);
	}

	/**
	 * Reads a profile as the given type.
	 * @param pprof the gzip'd or plain {@code profile.proto}
	 * @param type the type to read it as
	 * @return the profile
	 * @throws IOException if the bytes are not a pprof profile whose sample types give the
	 * values of {@code type}
	 */
	public Profile read(byte[] pprof, ProfileType type) throws IOException {
		return parse(decompress(pprof), type);
	}

	/**
	 * Reads a profile from a stream, recognising its type by its sample types.
	 * @param in the gzip'd or plain {@code profile.proto}; read to its end, not closed
	 * @return the profile
	 * @throws IOException if reading fails or the bytes are not a pprof profile of a known
	 * type
	 */
	public Profile read(InputStream in) throws IOException {
		return read(readAtMost(in, "is", 64 * 1024));
	}

	/**
	 * Reads a profile from a file, recognising its type by its sample types.
	 * @param file the gzip'd or plain {@code profile.proto}
	 * @return the profile
	 * @throws IOException if reading fails or the file is not a pprof profile of a known type;
	 * the message names the file
	 */
	public Profile read(Path file) throws IOException {
		return read(file, null);
	}

	/**
	 * Reads a profile from a file as the given type.
	 * @param file the gzip'd or plain {@code profile.proto}
	 * @param type the type to read it as, or {@code null} to recognise it
	 * @return the profile
	 * @throws IOException if reading fails or the file is not a pprof profile of the type;
	 * the message names the file
	 */
	public Profile read(Path file, @Nullable ProfileType type) throws IOException {
		return readFile(file, type, null);
	}

	/**
	 * Reads a profile's samples one at a time, without building the profile, for merging
	 * many profiles in bounded memory: each sample goes to {@code samples} as it is read, in
	 * the file's order, identical ones not merged.
	 * @param pprof the gzip'd or plain {@code profile.proto}
	 * @param type the type to read it as
	 * @param samples receives the samples
	 * @return the profile without its samples: type, start, duration, period and notes
	 * @throws IOException if the bytes are not a pprof profile whose sample types give the
	 * values of {@code type}; samples read before the error was found have been passed on
	 */
	public Profile read(byte[] pprof, ProfileType type, SampleConsumer samples) throws IOException {
		return parse(decompress(pprof), type, samples);
	}

	/**
	 * Reads a profile's samples from a file one at a time, without building the profile, for
	 * merging many profiles in bounded memory: each sample goes to {@code samples} as it is
	 * read, in the file's order, identical ones not merged.
	 * @param file the gzip'd or plain {@code profile.proto}
	 * @param type the type to read it as
	 * @param samples receives the samples
	 * @return the profile without its samples: type, start, duration, period and notes
	 * @throws IOException if reading fails or the file is not a pprof profile whose sample
	 * types give the values of {@code type}, the message naming the file; samples read before
	 * the error was found have been passed on
	 */
	public Profile read(Path file, ProfileType type, SampleConsumer samples) throws IOException {
		return readFile(file, type, samples);
	}

	private Profile readFile(Path file, @Nullable ProfileType type, @Nullable SampleConsumer samples)
			throws IOException {
		byte[] bytes;
		try (InputStream in = Files.newInputStream(file)) {
			bytes = readAtMost(in, "is", Files.size(file) + 1);
		}
		try {
			return parse(decompress(bytes), type, samples);
		}
		catch (IOException ex) {
			throw new IOException(file + ": " + ex.getMessage(), ex);
		}
	}

	private byte[] decompress(byte[] pprof) throws IOException {
		if (pprof.length == 0) {
			throw new IOException("The profile is empty; a pprof profile is a gzip'd or plain profile.proto message");
		}
		if (pprof.length < 2 || (pprof[0] & 0xff) != GZIP_MAGIC_1 || (pprof[1] & 0xff) != GZIP_MAGIC_2) {
			if (pprof.length > this.maxBytes) {
				throw tooLarge("is");
			}
			return pprof;
		}
		// gzip ends with the decompressed size modulo 2^32: a hint that saves regrowing the
		// buffer, never trusted beyond the limit
		int n = pprof.length;
		long size = (n < 18) ? 64 * 1024 : (pprof[n - 4] & 0xffL) | (pprof[n - 3] & 0xffL) << 8
				| (pprof[n - 2] & 0xffL) << 16 | (pprof[n - 1] & 0xffL) << 24;
		try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(pprof), 64 * 1024)) {
			return readAtMost(in, "decompresses to", size + 1);
		}
		catch (EOFException ex) {
			throw new IOException("The profile is truncated: its gzip stream ends early", ex);
		}
		catch (ZipException ex) {
			throw new IOException("The profile's gzip stream is corrupt (" + ex.getMessage() + ")", ex);
		}
	}

	/**
	 * Reads a stream to its end, refusing more than the limit.
	 * @param sizeHint the size expected, plus one so that the end is seen without regrowing
	 */
	private byte[] readAtMost(InputStream in, String verb, long sizeHint) throws IOException {
		byte[] buffer = new byte[(int) Math.max(1, Math.min(this.maxBytes, sizeHint))];
		int size = 0;
		while (true) {
			if (size == buffer.length) {
				if (size == this.maxBytes) {
					if (in.read() == -1) {
						return buffer;
					}
					throw tooLarge(verb);
				}
				buffer = Arrays.copyOf(buffer, (int) Math.min(this.maxBytes, 2L * size));
			}
			int read = in.read(buffer, size, buffer.length - size);
			if (read == -1) {
				return (size == buffer.length) ? buffer : Arrays.copyOf(buffer, size);
			}
			size += read;
		}
	}

	private IOException tooLarge(String verb) {
		return new IOException("The profile " + verb + " more than " + this.maxBytes
				+ " bytes, the most this reader accepts");
	}

	private static Profile parse(byte[] proto, @Nullable ProfileType named) throws IOException {
		return parse(proto, named, null);
	}

	private static Profile parse(byte[] proto, @Nullable ProfileType named, @Nullable SampleConsumer samples)
			throws IOException {
		Tables tables = new Tables(proto);
		try {
			tables.read();
		}
		catch (IOException ex) {
			throw new IOException("The profile is truncated or not a pprof profile.proto: " + ex.getMessage(), ex);
		}
		return tables.toProfile(named, samples);
	}

	/**
	 * Receives the samples of a profile as {@link PprofReader} reads them.
	 */
	@FunctionalInterface
	public interface SampleConsumer {

		/**
		 * Takes a sample.
		 * @param stack the frames, leaf first; frames of one location are the same instances
		 * in every sample of a profile
		 * @param labels the sample's string labels
		 * @param values one value per sample type of the type read as; the caller may keep
		 * the array
		 */
		void accept(List<StackFrame> stack, LabelSet labels, long[] values);

	}

	/**
	 * What a first pass over the profile finds: its tables, and where its samples are (they
	 * refer to tables written after them, so they are decoded in a second pass).
	 */
	private static final class Tables {

		private final byte[] proto;

		private final List<long[]> sampleTypes = new ArrayList<>();

		private int[] sampleBounds = new int[64];

		private int sampleCount;

		private final IdIndex locationIds;

		private final List<long[]> locationLines = new ArrayList<>();

		private final IdIndex functionIds;

		private final List<long[]> functions = new ArrayList<>();

		private final List<String> strings = new ArrayList<>();

		private final List<Long> comments = new ArrayList<>();

		private long timeNanos;

		private long durationNanos;

		private long period;

		Tables(byte[] proto) {
			this.proto = proto;
			// Every entry takes at least two bytes, so ids numbered from 1 stay below this.
			int denseLimit = proto.length / 2 + 64;
			this.locationIds = new IdIndex(denseLimit);
			this.functionIds = new IdIndex(denseLimit);
		}

		void read() throws IOException {
			ProtobufInput in = new ProtobufInput(this.proto, 0, this.proto.length);
			while (in.hasRemaining()) {
				int tag = in.tag();
				int field = tag >>> 3;
				int wireType = tag & 7;
				if (field == PROFILE_SAMPLE_TYPE && wireType == ProtobufInput.WIRETYPE_LENGTH_DELIMITED) {
					this.sampleTypes.add(valueType(in.message()));
				}
				else if (field == PROFILE_SAMPLE && wireType == ProtobufInput.WIRETYPE_LENGTH_DELIMITED) {
					int end = in.lengthDelimitedEnd();
					addSample(in.position(), end);
					in.skipTo(end);
				}
				else if (field == PROFILE_LOCATION && wireType == ProtobufInput.WIRETYPE_LENGTH_DELIMITED) {
					location(in.message());
				}
				else if (field == PROFILE_FUNCTION && wireType == ProtobufInput.WIRETYPE_LENGTH_DELIMITED) {
					function(in.message());
				}
				else if (field == PROFILE_STRING_TABLE && wireType == ProtobufInput.WIRETYPE_LENGTH_DELIMITED) {
					this.strings.add(in.string());
				}
				else if (field == PROFILE_TIME_NANOS && wireType == ProtobufInput.WIRETYPE_VARINT) {
					this.timeNanos = in.varint();
				}
				else if (field == PROFILE_DURATION_NANOS && wireType == ProtobufInput.WIRETYPE_VARINT) {
					this.durationNanos = in.varint();
				}
				else if (field == PROFILE_PERIOD && wireType == ProtobufInput.WIRETYPE_VARINT) {
					this.period = in.varint();
				}
				else if (field == PROFILE_COMMENT) {
					readRepeated(in, wireType, this.comments);
				}
				else {
					in.skip(wireType);
				}
			}
		}

		private void addSample(int start, int end) {
			if (this.sampleBounds.length < 2 * (this.sampleCount + 1)) {
				this.sampleBounds = Arrays.copyOf(this.sampleBounds, 2 * this.sampleBounds.length);
			}
			this.sampleBounds[2 * this.sampleCount] = start;
			this.sampleBounds[2 * this.sampleCount + 1] = end;
			this.sampleCount++;
		}

		private static long[] valueType(ProtobufInput in) throws IOException {
			long[] type = new long[2];
			while (in.hasRemaining()) {
				int tag = in.tag();
				if (tag == ((VALUE_TYPE_TYPE << 3) | ProtobufInput.WIRETYPE_VARINT)) {
					type[0] = in.varint();
				}
				else if (tag == ((VALUE_TYPE_UNIT << 3) | ProtobufInput.WIRETYPE_VARINT)) {
					type[1] = in.varint();
				}
				else {
					in.skip(tag & 7);
				}
			}
			return type;
		}

		/** A location as {@code [address, function id, line, function id, line, ...]}. */
		private void location(ProtobufInput in) throws IOException {
			long id = 0;
			long address = 0;
			List<Long> lines = new ArrayList<>(2);
			while (in.hasRemaining()) {
				int tag = in.tag();
				if (tag == ((LOCATION_ID << 3) | ProtobufInput.WIRETYPE_VARINT)) {
					id = in.varint();
				}
				else if (tag == ((LOCATION_ADDRESS << 3) | ProtobufInput.WIRETYPE_VARINT)) {
					address = in.varint();
				}
				else if (tag == ((LOCATION_LINE << 3) | ProtobufInput.WIRETYPE_LENGTH_DELIMITED)) {
					ProtobufInput line = in.message();
					long functionId = 0;
					long number = 0;
					while (line.hasRemaining()) {
						int lineTag = line.tag();
						if (lineTag == ((LINE_FUNCTION_ID << 3) | ProtobufInput.WIRETYPE_VARINT)) {
							functionId = line.varint();
						}
						else if (lineTag == ((LINE_LINE << 3) | ProtobufInput.WIRETYPE_VARINT)) {
							number = line.varint();
						}
						else {
							line.skip(lineTag & 7);
						}
					}
					lines.add(functionId);
					lines.add(number);
				}
				else {
					in.skip(tag & 7);
				}
			}
			long[] location = new long[1 + lines.size()];
			location[0] = address;
			for (int i = 0; i < lines.size(); i++) {
				location[i + 1] = lines.get(i);
			}
			this.locationIds.add(id, this.locationLines.size());
			this.locationLines.add(location);
		}

		/** A function as {@code [name, system name, file name]} string indexes. */
		private void function(ProtobufInput in) throws IOException {
			long id = 0;
			long[] function = new long[3];
			while (in.hasRemaining()) {
				int tag = in.tag();
				if (tag == ((FUNCTION_ID << 3) | ProtobufInput.WIRETYPE_VARINT)) {
					id = in.varint();
				}
				else if (tag == ((FUNCTION_NAME << 3) | ProtobufInput.WIRETYPE_VARINT)) {
					function[0] = in.varint();
				}
				else if (tag == ((FUNCTION_SYSTEM_NAME << 3) | ProtobufInput.WIRETYPE_VARINT)) {
					function[1] = in.varint();
				}
				else if (tag == ((FUNCTION_FILENAME << 3) | ProtobufInput.WIRETYPE_VARINT)) {
					function[2] = in.varint();
				}
				else {
					in.skip(tag & 7);
				}
			}
			this.functionIds.add(id, this.functions.size());
			this.functions.add(function);
		}

		/** Reads a repeated integer field, packed or not. */
		private static void readRepeated(ProtobufInput in, int wireType, List<Long> into) throws IOException {
			if (wireType == ProtobufInput.WIRETYPE_VARINT) {
				into.add(in.varint());
			}
			else if (wireType == ProtobufInput.WIRETYPE_LENGTH_DELIMITED) {
				ProtobufInput packed = in.message();
				while (packed.hasRemaining()) {
					into.add(packed.varint());
				}
			}
			else {
				in.skip(wireType);
			}
		}

		Profile toProfile(@Nullable ProfileType named, @Nullable SampleConsumer consumer) throws IOException {
			if (!this.strings.isEmpty() && !this.strings.get(0).isEmpty()) {
				throw new IOException("The profile's string table must start with \"\", but starts with \""
						+ this.strings.get(0) + "\"; it is not a pprof profile");
			}
			if (this.sampleTypes.isEmpty()) {
				throw new IOException("The profile declares no sample types; it is empty or not a pprof profile");
			}
			List<ValueType> declared = new ArrayList<>(this.sampleTypes.size());
			for (long[] type : this.sampleTypes) {
				declared.add(new ValueType(string(type[0]), string(type[1])));
			}
			ProfileType type = (named != null) ? named : recognise(declared);
			int[] columns = columns(type, declared, named != null);
			Instant start = Instant.ofEpochSecond(Math.floorDiv(this.timeNanos, 1_000_000_000L),
					Math.floorMod(this.timeNanos, 1_000_000_000L));
			Profile.Builder builder = Profile.builder(type, start, this.period);
			for (Long comment : this.comments) {
				builder.note(string(comment));
			}
			Samples samples = new Samples(this, declared.size(), columns);
			SampleConsumer into = (consumer != null) ? consumer : builder::add;
			for (int i = 0; i < this.sampleCount; i++) {
				samples.add(i, this.sampleBounds[2 * i], this.sampleBounds[2 * i + 1], into);
			}
			return builder.build(Duration.ofNanos(Math.max(0, this.durationNanos)));
		}

		private static ProfileType recognise(List<ValueType> declared) throws IOException {
			for (ProfileType type : ProfileType.values()) {
				if (declared.containsAll(type.sampleTypes())) {
					return type;
				}
			}
			throw new IOException("The profile's sample types " + describe(declared) + " are not those of "
					+ Arrays.stream(ProfileType.values())
						.map((type) -> "a " + type.id() + " profile " + describe(type.sampleTypes()))
						.collect(Collectors.joining(", "))
					+ "; name the type to read it as one");
		}

		private static int[] columns(ProfileType type, List<ValueType> declared, boolean named) throws IOException {
			List<ValueType> wanted = type.sampleTypes();
			int[] columns = new int[wanted.size()];
			for (int i = 0; i < columns.length; i++) {
				columns[i] = declared.indexOf(wanted.get(i));
				if (columns[i] < 0) {
					if (named && declared.size() == wanted.size()) {
						return IntStream.range(0, wanted.size()).toArray();
					}
					throw new IOException("The profile's sample types " + describe(declared)
							+ " do not give the values of a " + type.id() + " profile " + describe(wanted)
							+ "; a profile of another type is read as that type only if it has "
							+ wanted.size() + " sample types");
				}
			}
			return columns;
		}

		private static String describe(List<ValueType> types) {
			return types.stream()
				.map((type) -> type.type() + "/" + type.unit())
				.collect(Collectors.joining(", ", "(", ")"));
		}

		String string(long index) throws IOException {
			if (index < 0 || index >= this.strings.size()) {
				if (index == 0) {
					return "";
				}
				throw new IOException("The profile refers to string " + index + ", but its string table has "
						+ this.strings.size() + " entries");
			}
			return this.strings.get((int) index);
		}

	}

	/**
	 * The second pass: decodes each sample, sharing the frames of a location and the label
	 * set of equal labels between samples.
	 */
	private static final class Samples {

		private final Tables tables;

		private final int valueCount;

		private final int[] columns;

		private final StackFrame[] @Nullable [] locationFrames;

		private final @Nullable StackFrame[] functionFrames;

		private final Map<LabelKey, LabelSet> labelSets = new HashMap<>();

		private StackFrame[] stack = new StackFrame[64];

		private long[] locations = new long[64];

		private int locationCount;

		private final long[] values;

		private long[] labels = new long[8];

		private int labelCount;

		/**
		 * A location takes at least two bytes and a reference to it one, so a profile's
		 * frames are about as many as its bytes unless a location holds many lines (inlined
		 * functions). A bound of a few frames per byte keeps a small profile that repeats
		 * long locations from expanding into a huge one.
		 */
		private final long maxFrames;

		private long frameCount;

		Samples(Tables tables, int valueCount, int[] columns) {
			this.tables = tables;
			this.maxFrames = 4L * tables.proto.length + 65_536;
			this.valueCount = valueCount;
			this.columns = columns;
			this.locationFrames = new StackFrame[tables.locationLines.size()][];
			this.functionFrames = new StackFrame[tables.functions.size()];
			this.values = new long[valueCount];
		}

		void add(int index, int start, int end, SampleConsumer consumer) throws IOException {
			ProtobufInput in = new ProtobufInput(this.tables.proto, start, end);
			this.locationCount = 0;
			this.labelCount = 0;
			int valuesRead = 0;
			try {
				while (in.hasRemaining()) {
					int tag = in.tag();
					int field = tag >>> 3;
					int wireType = tag & 7;
					if (field == SAMPLE_LOCATION_ID && wireType == ProtobufInput.WIRETYPE_LENGTH_DELIMITED) {
						ProtobufInput packed = in.message();
						while (packed.hasRemaining()) {
							addLocation(packed.varint());
						}
					}
					else if (field == SAMPLE_LOCATION_ID && wireType == ProtobufInput.WIRETYPE_VARINT) {
						addLocation(in.varint());
					}
					else if (field == SAMPLE_VALUE && wireType == ProtobufInput.WIRETYPE_LENGTH_DELIMITED) {
						ProtobufInput packed = in.message();
						while (packed.hasRemaining()) {
							valuesRead = value(valuesRead, packed.varint());
						}
					}
					else if (field == SAMPLE_VALUE && wireType == ProtobufInput.WIRETYPE_VARINT) {
						valuesRead = value(valuesRead, in.varint());
					}
					else if (field == SAMPLE_LABEL && wireType == ProtobufInput.WIRETYPE_LENGTH_DELIMITED) {
						label(in.message());
					}
					else {
						in.skip(wireType);
					}
				}
			}
			catch (IOException ex) {
				throw new IOException("The profile's sample " + index + " is corrupt: " + ex.getMessage(), ex);
			}
			if (valuesRead != this.valueCount) {
				throw new IOException("The profile's sample " + index + " has " + valuesRead
						+ " values, but the profile declares " + this.valueCount + " sample types");
			}
			long[] picked = new long[this.columns.length];
			for (int i = 0; i < picked.length; i++) {
				picked[i] = this.values[this.columns[i]];
			}
			int depth = 0;
			for (int i = 0; i < this.locationCount; i++) {
				depth = push(frames(index, this.locations[i]), depth);
			}
			this.frameCount += depth;
			if (this.frameCount > this.maxFrames) {
				throw new IOException("The profile's stacks hold more than " + this.maxFrames
						+ " frames, more than a profile of its size can (its locations hold too many lines)");
			}
			consumer.accept(List.of(Arrays.copyOf(this.stack, depth)), labelSet(), picked);
		}

		private void addLocation(long id) {
			if (this.locationCount == this.locations.length) {
				this.locations = Arrays.copyOf(this.locations, 2 * this.locations.length);
			}
			this.locations[this.locationCount++] = id;
		}

		private int push(StackFrame[] frames, int depth) {
			if (this.stack.length < depth + frames.length) {
				this.stack = Arrays.copyOf(this.stack, Math.max(depth + frames.length, 2 * this.stack.length));
			}
			System.arraycopy(frames, 0, this.stack, depth, frames.length);
			return depth + frames.length;
		}

		private int value(int valuesRead, long value) throws IOException {
			if (valuesRead >= this.valueCount) {
				throw new IOException("it has more than " + this.valueCount + " values, but the profile declares "
						+ this.valueCount + " sample types");
			}
			this.values[valuesRead] = value;
			return valuesRead + 1;
		}

		private void label(ProtobufInput in) throws IOException {
			long key = 0;
			long str = 0;
			boolean numeric = false;
			while (in.hasRemaining()) {
				int tag = in.tag();
				if (tag == ((LABEL_KEY << 3) | ProtobufInput.WIRETYPE_VARINT)) {
					key = in.varint();
				}
				else if (tag == ((LABEL_STR << 3) | ProtobufInput.WIRETYPE_VARINT)) {
					str = in.varint();
				}
				else if (tag == ((LABEL_NUM << 3) | ProtobufInput.WIRETYPE_VARINT)
						|| tag == ((LABEL_NUM_UNIT << 3) | ProtobufInput.WIRETYPE_VARINT)) {
					numeric |= in.varint() != 0;
				}
				else {
					in.skip(tag & 7);
				}
			}
			if (numeric) {
				return;
			}
			if (this.labels.length < 2 * (this.labelCount + 1)) {
				this.labels = Arrays.copyOf(this.labels, 2 * this.labels.length);
			}
			this.labels[2 * this.labelCount] = key;
			this.labels[2 * this.labelCount + 1] = str;
			this.labelCount++;
		}

		/**
		 * Returns the label set of the sample's string labels, skipping a label without a
		 * key: it names nothing.
		 */
		private LabelSet labelSet() throws IOException {
			if (this.labelCount == 0) {
				return LabelSet.empty();
			}
			LabelKey key = new LabelKey(Arrays.copyOf(this.labels, 2 * this.labelCount));
			LabelSet labels = this.labelSets.get(key);
			if (labels == null) {
				List<String> keyValues = new ArrayList<>(2 * this.labelCount);
				for (int i = 0; i < this.labelCount; i++) {
					String name = this.tables.string(this.labels[2 * i]);
					String value = this.tables.string(this.labels[2 * i + 1]);
					if (!name.isBlank()) {
						keyValues.add(name);
						keyValues.add(value);
					}
				}
				labels = LabelSet.of(keyValues.toArray(new String[0]));
				this.labelSets.put(key, labels);
			}
			return labels;
		}

		private StackFrame[] frames(int index, long locationId) throws IOException {
			int location = this.tables.locationIds.get(locationId);
			if (location < 0) {
				throw new IOException("The profile's sample " + index + " refers to location " + locationId
						+ ", which the profile does not define");
			}
			StackFrame[] frames = this.locationFrames[location];
			if (frames == null) {
				frames = resolve(this.tables.locationLines.get(location));
				this.locationFrames[location] = frames;
			}
			return frames;
		}

		private StackFrame[] resolve(long[] location) throws IOException {
			int lines = (location.length - 1) / 2;
			if (lines == 0) {
				return new StackFrame[] { new StackFrame("", "0x" + Long.toHexString(location[0]), null, 0) };
			}
			StackFrame[] frames = new StackFrame[lines];
			for (int i = 0; i < lines; i++) {
				StackFrame function = function(location[1 + 2 * i]);
				long line = location[2 + 2 * i];
				int lineNumber = (line > 0 && line <= Integer.MAX_VALUE) ? (int) line : 0;
				frames[i] = (lineNumber == function.lineNumber()) ? function
						: new StackFrame(function.className(), function.methodName(), function.fileName(),
								lineNumber);
			}
			return frames;
		}

		/** Returns the function as a frame without a line. */
		private StackFrame function(long functionId) throws IOException {
			int function = this.tables.functionIds.get(functionId);
			if (function < 0) {
				throw new IOException("A location of the profile refers to function " + functionId
						+ ", which the profile does not define");
			}
			StackFrame frame = this.functionFrames[function];
			if (frame == null) {
				long[] indexes = this.tables.functions.get(function);
				String name = this.tables.string(indexes[0]);
				if (name.isEmpty()) {
					name = this.tables.string(indexes[1]);
				}
				String fileName = this.tables.string(indexes[2]);
				int dot = name.lastIndexOf('.');
				frame = new StackFrame((dot >= 0) ? name.substring(0, dot) : "", name.substring(dot + 1),
						fileName.isEmpty() ? null : fileName, 0);
				this.functionFrames[function] = frame;
			}
			return frame;
		}

	}

	/** The string indexes of a sample's labels, keys and values alternating. */
	private record LabelKey(long[] indexes) {

		@Override
		public boolean equals(Object obj) {
			return (obj instanceof LabelKey other) && Arrays.equals(this.indexes, other.indexes);
		}

		@Override
		public int hashCode() {
			return Arrays.hashCode(this.indexes);
		}

	}

	/**
	 * Maps the ids of a table's entries to their positions: an array when the ids are small
	 * (pprof writers number them 1, 2, 3…), a map otherwise.
	 */
	private static final class IdIndex {

		private final int denseLimit;

		private int[] dense = new int[64];

		private @Nullable Map<Long, Integer> sparse;

		IdIndex(int denseLimit) {
			this.denseLimit = denseLimit;
		}

		void add(long id, int position) {
			if (this.sparse == null && id > 0 && id < this.denseLimit) {
				if (id >= this.dense.length) {
					int length = this.dense.length;
					this.dense = Arrays.copyOf(this.dense, (int) Math.max(id + 1, 2L * length));
				}
				this.dense[(int) id] = position + 1;
				return;
			}
			if (this.sparse == null) {
				this.sparse = new HashMap<>();
				for (int i = 0; i < this.dense.length; i++) {
					if (this.dense[i] != 0) {
						this.sparse.put((long) i, this.dense[i] - 1);
					}
				}
			}
			this.sparse.put(id, position);
		}

		/** Returns the position of the id, or -1. */
		int get(long id) {
			if (this.sparse != null) {
				return this.sparse.getOrDefault(id, -1);
			}
			return (id > 0 && id < this.dense.length) ? this.dense[(int) id] - 1 : -1;
		}

	}

}
