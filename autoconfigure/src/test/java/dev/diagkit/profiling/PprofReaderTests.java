package dev.diagkit.profiling;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import com.google.protobuf.CodedOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.diagkit.labels.LabelSet;
import dev.diagkit.labels.ProfilingLabels;
import dev.diagkit.testing.Work;

import static dev.diagkit.profiling.ProfileFixtures.ACME;
import static dev.diagkit.profiling.ProfileFixtures.COMPUTE;
import static dev.diagkit.profiling.ProfileFixtures.COMPUTE_LATER_LINE;
import static dev.diagkit.profiling.ProfileFixtures.GLOBEX;
import static dev.diagkit.profiling.ProfileFixtures.HANDLE;
import static dev.diagkit.profiling.ProfileFixtures.REFERENCES;
import static dev.diagkit.profiling.ProfileFixtures.ROUND;
import static dev.diagkit.profiling.ProfileFixtures.RUN;
import static dev.diagkit.profiling.ProfileFixtures.SCAN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Reads back what {@link PprofWriter} writes, what {@code go tool pprof} re-encodes, profiles
 * of real profiler runs, and hand-made protos, broken ones included.
 */
class PprofReaderTests {

	private static final Instant START = Instant.parse("2025-03-01T12:00:00.123456789Z");

	private final PprofWriter writer = new PprofWriter();

	private final PprofReader reader = new PprofReader();

	@TempDir
	Path dir;

	static volatile long sink;

	static volatile Object kept;

	private static Profile tenants(ProfileType type) {
		long weight = 10_000_000;
		return Profile.builder(type, START, weight)
			.add(List.of(COMPUTE, HANDLE, RUN), ACME, 300, 300 * weight)
			.add(List.of(COMPUTE_LATER_LINE, HANDLE, RUN), ACME, 200, 200 * weight)
			.add(List.of(ROUND, HANDLE, RUN), ACME, 10, 10 * weight)
			.add(List.of(SCAN, HANDLE, RUN), GLOBEX, 100, 100 * weight)
			.add(List.of(REFERENCES, RUN), LabelSet.empty(), 5, 5 * weight)
			.add(List.of(), LabelSet.of("tenant", ""), 1, weight)
			.note("JFR sampling period 10 ms")
			.note("Stacks deeper than 64 frames were truncated")
			.build(Duration.ofMillis(10_250));
	}

	@ParameterizedTest
	@EnumSource(ProfileType.class)
	void whatTheWriterWritesReadsBackEqual(ProfileType type) throws IOException {
		Profile profile = tenants(type);
		Profile read = this.reader.read(this.writer.write(profile));
		assertThat(read).isEqualTo(profile);
		assertThat(this.reader.read(this.writer.write(profile), type)).isEqualTo(profile);
	}

	@Test
	void samplesCanBeReadOneAtATimeWithoutTheProfile() throws IOException {
		Profile profile = tenants(ProfileType.ALLOC);
		Path file = this.dir.resolve("alloc.pb.gz");
		Files.write(file, this.writer.write(profile));
		List<Profile.Sample> samples = new ArrayList<>();
		Profile header = this.reader.read(file, ProfileType.ALLOC,
				(stack, labels, values) -> samples.add(new Profile.Sample(stack, labels, values)));
		assertThat(samples).isEqualTo(profile.samples());
		assertThat(header.samples()).isEmpty();
		assertThat(header).isEqualTo(new Profile(profile.type(), profile.start(), profile.duration(), profile.period(),
				List.of(), profile.notes()));
		List<Profile.Sample> fromBytes = new ArrayList<>();
		this.reader.read(this.writer.write(profile), ProfileType.ALLOC,
				(stack, labels, values) -> fromBytes.add(new Profile.Sample(stack, labels, values)));
		assertThat(fromBytes).isEqualTo(samples);
	}

	@Test
	void plainProtoIsReadLikeGzip() throws IOException {
		Profile profile = tenants(ProfileType.CPU);
		byte[] plain = gunzip(this.writer.write(profile));
		assertThat(this.reader.read(plain)).isEqualTo(profile);
		assertThat(this.reader.read(new ByteArrayInputStream(plain))).isEqualTo(profile);
	}

	@Test
	void fileIsReadLikeBytes() throws IOException {
		Profile profile = tenants(ProfileType.LOCK);
		Path file = this.dir.resolve("lock.pb.gz");
		Files.write(file, this.writer.write(profile));
		assertThat(this.reader.read(file)).isEqualTo(profile);
	}

	@Test
	void profilesOfRealProfilerRunsReadBackEqual() throws Exception {
		ProfileRecorder recorder = new ProfileRecorder(new SamplingSettings(
				new SamplingSettings.Values(Duration.ofMillis(10), 500, Duration.ofMillis(1))));
		AtomicBoolean running = new AtomicBoolean(true);
		Thread worker = new Thread(() -> {
			while (running.get()) {
				ProfilingLabels.run(ACME, () -> sink += Work.burnCpuTime(Duration.ofMillis(5)));
				ProfilingLabels.run(GLOBEX, () -> {
					for (int i = 0; i < 100; i++) {
						kept = new byte[16 * 1024 + (int) (sink & 1023)];
					}
				});
			}
		}, "reader-test-worker");
		worker.start();
		try {
			for (ProfileType type : List.of(ProfileType.CPU, ProfileType.ALLOC)) {
				Profile profile = recorder.record(type, Duration.ofSeconds(1), (labels) -> true, true);
				assertThat(profile.samples()).as("%s samples", type).isNotEmpty();
				Profile read = this.reader.read(this.writer.write(profile, Long.MAX_VALUE));
				assertThat(read.type()).isEqualTo(type);
				assertThat(read.samples()).containsExactlyElementsOf(profile.samples());
				assertThat(read.notes()).isEqualTo(profile.notes());
				assertThat(read.period()).isEqualTo(profile.period());
				assertThat(read.start()).isEqualTo(profile.start());
				assertThat(read.duration()).isEqualTo(profile.duration());
			}
		}
		finally {
			running.set(false);
			worker.join(5000);
			recorder.close();
		}
	}

	@Test
	void whatGoToolPprofReEncodesReadsBackEqual() throws Exception {
		GoPprof pprof = GoPprof.locate();
		Profile profile = tenants(ProfileType.CPU);
		Path file = this.dir.resolve("cpu.pb.gz");
		Files.write(file, this.writer.write(profile));
		Path reEncoded = this.dir.resolve("go.pb.gz");
		pprof.run(file, "-proto", "-output=" + reEncoded);
		Profile read = this.reader.read(reEncoded);
		// go drops the sample without a stack
		assertThat(read.samples()).containsExactlyInAnyOrderElementsOf(
				profile.samples().stream().filter((sample) -> !sample.stack().isEmpty()).toList());
		assertThat(read.notes()).isEqualTo(profile.notes());
		assertThat(read.start()).isEqualTo(profile.start());
		assertThat(read.duration()).isEqualTo(profile.duration());
		assertThat(read.period()).isEqualTo(profile.period());
	}

	@Test
	void goAllocsProfileIsRecognisedByTwoOfItsFourSampleTypes() throws IOException {
		byte[] proto = new Proto("", "alloc_objects", "count", "alloc_space", "bytes", "inuse_objects", "inuse_space",
				"main.main", "main.go", "tenant", "acme", "bytes")
			.sampleTypes(1, 2, 3, 4, 5, 2, 6, 4)
			.function(1, 7, 8)
			.location(1, 1, 12)
			.sample(new long[] { 1 }, new long[] { 3, 300, 1, 100 }, 9, 10)
			.bytes();
		Profile profile = this.reader.read(proto);
		assertThat(profile.type()).isEqualTo(ProfileType.ALLOC);
		assertThat(profile.samples()).containsExactly(new Profile.Sample(
				List.of(new StackFrame("main", "main", "main.go", 12)), LabelSet.of("tenant", "acme"), new long[] { 3, 300 }));
	}

	@Test
	void namedTypeReadsAProfileWithAsManySampleTypesInOrder() throws IOException {
		byte[] proto = new Proto("", "samples", "count", "wall", "nanoseconds", "f").sampleTypes(1, 2, 3, 4)
			.function(1, 5, 0)
			.location(1, 1, 0)
			.sample(new long[] { 1 }, new long[] { 2, 20_000_000 })
			.bytes();
		assertThatIOException().isThrownBy(() -> this.reader.read(proto))
			.withMessage("The profile's sample types (samples/count, wall/nanoseconds) are not those of a cpu profile "
					+ "(samples/count, cpu/nanoseconds), a alloc profile (alloc_objects/count, alloc_space/bytes), "
					+ "a lock profile (contentions/count, delay/nanoseconds), a live profile (inuse_objects/count, inuse_space/bytes); name the type to read it as one");
		Profile profile = this.reader.read(proto, ProfileType.CPU);
		assertThat(profile.samples()).singleElement()
			.satisfies((sample) -> assertThat(sample.values()).containsExactly(2, 20_000_000));
		assertThat(profile.samples().get(0).stack()).containsExactly(new StackFrame("", "f", null, 0));
	}

	@Test
	void namedTypeWithOtherSampleTypesIsRefused() throws IOException {
		byte[] proto = new Proto("", "inuse_space", "bytes").sampleTypes(1, 2).bytes();
		assertThatIOException().isThrownBy(() -> this.reader.read(proto, ProfileType.LOCK))
			.withMessage("The profile's sample types (inuse_space/bytes) do not give the values of a lock profile "
					+ "(contentions/count, delay/nanoseconds); a profile of another type is read as that type only "
					+ "if it has 2 sample types");
	}

	@Test
	void inlinedLinesBecomeOneFrameEachLeafFirstAndNumericLabelsAreSkipped() throws IOException {
		byte[] proto = new Proto("", "contentions", "count", "delay", "nanoseconds", "com.acme.A.inner",
				"com.acme.A.outer", "A.java", "bytes", "tenant", "acme")
			.sampleTypes(1, 2, 3, 4)
			.function(7, 5, 7)
			.function(9, 6, 7)
			.location(3, 7, 10, 9, 20)
			.location(4, 9, 30)
			.sample(new long[] { 3, 4 }, new long[] { 1, 500 }, 9, 10)
			.numericLabelOnLastSample(8, 4096)
			.bytes();
		Profile profile = this.reader.read(proto);
		assertThat(profile.type()).isEqualTo(ProfileType.LOCK);
		Profile.Sample sample = profile.samples().get(0);
		assertThat(sample.stack()).containsExactly(new StackFrame("com.acme.A", "inner", "A.java", 10),
				new StackFrame("com.acme.A", "outer", "A.java", 20), new StackFrame("com.acme.A", "outer", "A.java", 30));
		assertThat(sample.labels()).isEqualTo(LabelSet.of("tenant", "acme"));
	}

	@Test
	void textIsNotAProfile() {
		assertThatIOException().isThrownBy(() -> this.reader.read("hello, profile".getBytes()))
			.withMessageStartingWith("The profile is truncated or not a pprof profile.proto: ");
		assertThatIOException().isThrownBy(() -> this.reader.read(new byte[0]))
			.withMessage("The profile is empty; a pprof profile is a gzip'd or plain profile.proto message");
	}

	@Test
	void protoWithoutSampleTypesIsNotAProfile() throws IOException {
		assertThatIOException().isThrownBy(() -> this.reader.read(new Proto("", "x").bytes()))
			.withMessage("The profile declares no sample types; it is empty or not a pprof profile");
		assertThatIOException().isThrownBy(() -> this.reader.read(new Proto("x").sampleTypes(0, 0).bytes()))
			.withMessage("The profile's string table must start with \"\", but starts with \"x\"; "
					+ "it is not a pprof profile");
	}

	@Test
	void truncatedGzipIsRefused() {
		byte[] pprof = this.writer.write(tenants(ProfileType.CPU));
		assertThatIOException().isThrownBy(() -> this.reader.read(Arrays.copyOf(pprof, pprof.length / 2)))
			.withMessage("The profile is truncated: its gzip stream ends early");
		byte[] corrupt = pprof.clone();
		corrupt[pprof.length - 5] ^= 0x55;
		assertThatIOException().isThrownBy(() -> this.reader.read(corrupt))
			.withMessageStartingWith("The profile's gzip stream is corrupt (");
	}

	@Test
	void truncatedProtoIsRefusedAtEveryCut() throws IOException {
		byte[] plain = gunzip(this.writer.write(tenants(ProfileType.CPU)));
		int refused = 0;
		for (int length = 1; length < plain.length; length++) {
			try {
				this.reader.read(Arrays.copyOf(plain, length));
			}
			catch (IOException ex) {
				assertThat(ex.getMessage()).startsWith("The profile ");
				refused++;
			}
		}
		// a cut at a field boundary before the samples' tables leaves a shorter valid profile
		assertThat(refused).isGreaterThan(plain.length * 9 / 10);
	}

	@Test
	void declaredLengthBeyondTheInputIsRefusedWithoutAllocatingIt() throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		CodedOutputStream out = CodedOutputStream.newInstance(bytes);
		out.writeTag(6, 2);
		out.writeUInt32NoTag(Integer.MAX_VALUE - 8);
		out.writeRawBytes(new byte[] { 'a', 'b', 'c' });
		out.flush();
		assertThatIOException().isThrownBy(() -> this.reader.read(bytes.toByteArray()))
			.withMessage("The profile is truncated or not a pprof profile.proto: A field at byte 6 declares "
					+ "2147483639 bytes, but only 3 remain");
	}

	@Test
	void smallProfileWhoseLocationsExpandToHugeStacksIsRefused() throws IOException {
		long[] lines = new long[2 * 1000];
		for (int i = 0; i < 1000; i++) {
			lines[2 * i] = 1;
			lines[2 * i + 1] = i + 1;
		}
		long[] locations = new long[200];
		Arrays.fill(locations, 1);
		byte[] proto = new Proto("", "samples", "count", "cpu", "nanoseconds", "f").sampleTypes(1, 2, 3, 4)
			.function(1, 5, 0)
			.location(1, lines)
			.sample(locations, new long[] { 1, 10 })
			.bytes();
		assertThat(proto.length).isLessThan(16 * 1024);
		assertThatIOException().isThrownBy(() -> this.reader.read(proto))
			.withMessageStartingWith("The profile's stacks hold more than ")
			.withMessageEndingWith(" frames, more than a profile of its size can (its locations hold too many lines)");
	}

	@Test
	void sampleOfAnUndefinedLocationIsRefused() throws IOException {
		byte[] proto = new Proto("", "samples", "count", "cpu", "nanoseconds").sampleTypes(1, 2, 3, 4)
			.sample(new long[] { 42 }, new long[] { 1, 10 })
			.bytes();
		assertThatIOException().isThrownBy(() -> this.reader.read(proto))
			.withMessage("The profile's sample 0 refers to location 42, which the profile does not define");
		byte[] wrongValues = new Proto("", "samples", "count", "cpu", "nanoseconds").sampleTypes(1, 2, 3, 4)
			.sample(new long[0], new long[] { 1 })
			.bytes();
		assertThatIOException().isThrownBy(() -> this.reader.read(wrongValues))
			.withMessage("The profile's sample 0 has 1 values, but the profile declares 2 sample types");
		byte[] badString = new Proto("", "samples", "count", "cpu", "nanoseconds").sampleTypes(1, 2, 3, 99).bytes();
		assertThatIOException().isThrownBy(() -> this.reader.read(badString))
			.withMessage("The profile refers to string 99, but its string table has 5 entries");
	}

	@Test
	void profileLargerThanTheLimitOnceDecompressedIsRefused() throws IOException {
		byte[] pprof = this.writer.write(tenants(ProfileType.CPU));
		assertThat(gunzip(pprof).length).isGreaterThan(512);
		assertThatIOException().isThrownBy(() -> new PprofReader(512).read(pprof))
			.withMessage("The profile decompresses to more than 512 bytes, the most this reader accepts");
		byte[] bomb = gzip(new byte[8 * 1024 * 1024]);
		assertThat(bomb.length).isLessThan(16 * 1024);
		assertThatIOException().isThrownBy(() -> new PprofReader(1024 * 1024).read(bomb))
			.withMessage("The profile decompresses to more than 1048576 bytes, the most this reader accepts");
		assertThatIllegalArgumentException().isThrownBy(() -> new PprofReader(0))
			.withMessage("maxBytes must be positive, was 0");
	}

	@Test
	void fileErrorsNameTheFile() throws IOException {
		Path file = this.dir.resolve("broken.pb.gz");
		Files.write(file, "not a profile".getBytes());
		assertThatIOException().isThrownBy(() -> this.reader.read(file))
			.withMessageStartingWith(file + ": The profile is truncated or not a pprof profile.proto: ");
	}

	private static byte[] gunzip(byte[] gzipped) throws IOException {
		try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
			return in.readAllBytes();
		}
	}

	private static byte[] gzip(byte[] plain) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
			out.write(plain);
		}
		return bytes.toByteArray();
	}

	/**
	 * A hand-made {@code profile.proto}, written with protobuf-java: the string table first,
	 * then whatever the test adds.
	 */
	private static final class Proto {

		private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

		private final CodedOutputStream out = CodedOutputStream.newInstance(this.bytes);

		private final ByteArrayOutputStream pendingSample = new ByteArrayOutputStream();

		Proto(String... strings) throws IOException {
			for (String string : strings) {
				this.out.writeString(6, string);
			}
		}

		/** Pairs of (type, unit) string indexes. */
		Proto sampleTypes(long... indexes) throws IOException {
			for (int i = 0; i < indexes.length; i += 2) {
				long type = indexes[i];
				long unit = indexes[i + 1];
				this.out.writeByteArray(1, message((m) -> {
					m.writeInt64(1, type);
					m.writeInt64(2, unit);
				}));
			}
			return this;
		}

		Proto function(long id, long name, long fileName) throws IOException {
			this.out.writeByteArray(5, message((m) -> {
				m.writeUInt64(1, id);
				m.writeInt64(2, name);
				m.writeInt64(4, fileName);
			}));
			return this;
		}

		/** Pairs of (function id, line) after the id. */
		Proto location(long id, long... lines) throws IOException {
			this.out.writeByteArray(4, message((m) -> {
				m.writeUInt64(1, id);
				for (int i = 0; i < lines.length; i += 2) {
					long function = lines[i];
					long line = lines[i + 1];
					m.writeByteArray(4, message((l) -> {
						l.writeUInt64(1, function);
						l.writeInt64(2, line);
					}));
				}
			}));
			return this;
		}

		/** Unpacked location ids and values, and (key, str) label pairs. */
		Proto sample(long[] locations, long[] values, long... labels) throws IOException {
			flushSample();
			this.pendingSample.write(message((m) -> {
				for (long location : locations) {
					m.writeUInt64(1, location);
				}
				for (long value : values) {
					m.writeInt64(2, value);
				}
				for (int i = 0; i < labels.length; i += 2) {
					long key = labels[i];
					long str = labels[i + 1];
					m.writeByteArray(3, message((l) -> {
						l.writeInt64(1, key);
						l.writeInt64(2, str);
					}));
				}
			}));
			return this;
		}

		Proto numericLabelOnLastSample(long key, long num) throws IOException {
			this.pendingSample.write(message((m) -> m.writeByteArray(3, message((l) -> {
				l.writeInt64(1, key);
				l.writeInt64(3, num);
			}))));
			return this;
		}

		byte[] bytes() throws IOException {
			flushSample();
			this.out.flush();
			return this.bytes.toByteArray();
		}

		private void flushSample() throws IOException {
			if (this.pendingSample.size() > 0) {
				this.out.writeByteArray(2, this.pendingSample.toByteArray());
				this.pendingSample.reset();
			}
		}

		private static byte[] message(Fields fields) throws IOException {
			ByteArrayOutputStream bytes = new ByteArrayOutputStream();
			CodedOutputStream out = CodedOutputStream.newInstance(bytes);
			fields.write(out);
			out.flush();
			return bytes.toByteArray();
		}

		interface Fields {

			void write(CodedOutputStream out) throws IOException;

		}

	}

}
