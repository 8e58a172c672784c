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
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.zip.GZIPInputStream;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.diagkit.labels.LabelSet;
import dev.diagkit.profiling.ProfileType.ValueType;

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
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Writes hand-built profiles and reads them back with {@code go tool pprof}.
 */
class PprofWriterTests {

	private static final Instant START = Instant.parse("2025-03-01T12:00:00Z");

	private static final Pattern RAW_SAMPLE = Pattern.compile("^\\s+(\\d+) (\\d+): ", Pattern.MULTILINE);

	private static final Pattern DROP_NOTE = Pattern.compile("Dropped the (\\d+) coldest of (\\d+) samples");

	private final PprofWriter writer = new PprofWriter();

	@TempDir
	Path dir;

	/**
	 * acme: 300 + 200 events in {@code Pricing.compute} (two lines), 10 in {@code round};
	 * globex: 100 in {@code Search.scan}; 5 unlabelled. The second value is the count times
	 * a per-type weight.
	 */
	private static Profile tenants(ProfileType type) {
		long weight = 10_000_000;
		return Profile.builder(type, START, weight)
			.add(List.of(COMPUTE, HANDLE, RUN), ACME, 300, 300 * weight)
			.add(List.of(COMPUTE_LATER_LINE, HANDLE, RUN), ACME, 200, 200 * weight)
			.add(List.of(ROUND, HANDLE, RUN), ACME, 10, 10 * weight)
			.add(List.of(SCAN, HANDLE, RUN), GLOBEX, 100, 100 * weight)
			.add(List.of(REFERENCES, RUN), LabelSet.empty(), 5, 5 * weight)
			.note("JFR sampling period 10 ms")
			.note("Stacks deeper than 64 frames were truncated")
			.build(Duration.ofSeconds(10));
	}

	private Path writeToFile(byte[] pprof, String name) throws IOException {
		Path file = this.dir.resolve(name);
		Files.write(file, pprof);
		return file;
	}

	@Test
	void tagsListEveryLabelKeyAndValue() throws Exception {
		GoPprof pprof = GoPprof.locate();
		Path file = writeToFile(this.writer.write(tenants(ProfileType.CPU)), "cpu.pb.gz");
		String tags = pprof.run(file, "-tags");
		assertThat(tags).contains(" tenant: Total ", " endpoint: Total ", ": acme", ": globex", ": GET /price",
				": GET /search");
	}

	@Test
	void tagfocusKeepsOnlyTheSamplesOfOneTenant() throws Exception {
		GoPprof pprof = GoPprof.locate();
		Path file = writeToFile(this.writer.write(tenants(ProfileType.CPU)), "cpu.pb.gz");
		String acme = pprof.run(file, "-top", "-tagfocus=tenant=acme");
		assertThat(acme).contains("com.acme.Pricing.compute", "com.acme.Pricing.round")
			.doesNotContain("com.globex.Search.scan", "processPendingReferences");
		String globex = pprof.run(file, "-top", "-tagfocus=tenant=globex");
		assertThat(globex).contains("com.globex.Search.scan").doesNotContain("com.acme.Pricing");
		String both = pprof.run(file, "-top");
		assertThat(both).contains("com.acme.Pricing.compute", "com.globex.Search.scan",
				"java.lang.ref.Reference.processPendingReferences");
	}

	@ParameterizedTest
	@EnumSource(ProfileType.class)
	void everySampleTypeCanBeSelectedAndTheLastIsTheDefault(ProfileType type) throws Exception {
		GoPprof pprof = GoPprof.locate();
		Path file = writeToFile(this.writer.write(tenants(type)), type.id() + ".pb.gz");
		for (ValueType sampleType : type.sampleTypes()) {
			String top = pprof.run(file, "-top", "-sample_index=" + sampleType.type());
			assertThat(top).contains("Type: " + sampleType.type() + "\n", "com.acme.Pricing.compute");
			if (sampleType.unit().equals("count")) {
				assertThat(top).contains("of 615 total");
			}
		}
		List<ValueType> sampleTypes = type.sampleTypes();
		assertThat(pprof.run(file, "-top")).contains("Type: " + sampleTypes.get(sampleTypes.size() - 1).type() + "\n");
		String raw = pprof.run(file, "-raw");
		assertThat(raw).contains("PeriodType: " + type.periodType().type() + " " + type.periodType().unit(),
				"Period: 10000000", "Duration: 10s");
	}

	@Test
	void notesBecomeComments() throws Exception {
		GoPprof pprof = GoPprof.locate();
		Path file = writeToFile(this.writer.write(tenants(ProfileType.LOCK)), "lock.pb.gz");
		assertThat(pprof.run(file, "-comments").lines())
			.containsExactly("JFR sampling period 10 ms", "Stacks deeper than 64 frames were truncated");
	}

	@Test
	void functionsCarryTheirFileAndLocationsTheirLine() throws Exception {
		GoPprof pprof = GoPprof.locate();
		Path file = writeToFile(this.writer.write(tenants(ProfileType.CPU)), "cpu.pb.gz");
		String lines = pprof.run(file, "-top", "-lines", "-nodefraction=0");
		assertThat(lines).contains("com.acme.Pricing.compute Pricing.java:42", "com.acme.Pricing.compute Pricing.java:43",
				"com.globex.Search.scan Search.java:7", "java.lang.Thread.run Thread.java:840");
		String functions = pprof.run(file, "-top", "-nodefraction=0");
		assertThat(functions.lines().filter((line) -> line.endsWith(" com.acme.Pricing.compute")))
			.as("one function for both lines")
			.hasSize(1);
	}

	@Test
	void stringsFunctionsAndLocationsAreWrittenOnce() throws IOException {
		Tables tables = Tables.read(this.writer.write(tenants(ProfileType.CPU)));
		assertThat(tables.strings.get(0)).isEmpty();
		assertThat(tables.strings).doesNotHaveDuplicates()
			.contains("tenant", "acme", "globex", "endpoint", "GET /price", "com.acme.Pricing.compute", "Pricing.java");
		assertThat(tables.samples).isEqualTo(5);
		// compute, round, scan, handle, run, processPendingReferences
		assertThat(tables.functions).isEqualTo(6);
		// compute at two lines
		assertThat(tables.locations).isEqualTo(7);
	}

	@Test
	void streamAndArrayGetTheSameBytes() throws IOException {
		Profile profile = tenants(ProfileType.ALLOC);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		this.writer.write(profile, out);
		assertThat(out.toByteArray()).isEqualTo(this.writer.write(profile));
	}

	@Test
	void overBudgetDropsTheColdestSamplesAndSaysSo() throws Exception {
		GoPprof pprof = GoPprof.locate();
		int n = 20_000;
		Profile profile = manyStacks(n);
		byte[] unlimited = this.writer.write(profile, Long.MAX_VALUE);
		int maxBytes = 64 * 1024;
		assertThat(unlimited.length).as("the test profile must exceed the budget").isGreaterThan(4 * maxBytes);
		assertThat(this.writer.write(profile)).as("within the default 4 MiB nothing is dropped").isEqualTo(unlimited);

		byte[] limited = this.writer.write(profile, maxBytes);
		assertThat(limited.length).isLessThanOrEqualTo(maxBytes);
		Path file = writeToFile(limited, "trimmed.pb.gz");
		String comments = pprof.run(file, "-comments");
		assertThat(comments).startsWith("Generated for the size budget test\n").contains("to fit the limit of 65536 bytes");
		Matcher note = DROP_NOTE.matcher(comments);
		assertThat(note.find()).as(comments).isTrue();
		int dropped = Integer.parseInt(note.group(1));
		assertThat(Integer.parseInt(note.group(2))).isEqualTo(n);
		int kept = n - dropped;
		assertThat(kept).isBetween(1, n - 1);

		// sample i has the value i + 1: the kept ones must be exactly the hottest
		Set<Long> counts = new TreeSet<>();
		Matcher sample = RAW_SAMPLE.matcher(pprof.run(file, "-raw"));
		while (sample.find()) {
			counts.add(Long.parseLong(sample.group(1)));
		}
		assertThat(counts).containsExactlyElementsOf(
				LongStream.rangeClosed(n - kept + 1, n).boxed().collect(Collectors.toCollection(TreeSet::new)));
		assertThat(pprof.run(file, "-top", "-tagfocus=tenant=t49")).contains("com.acme.generated.Class19999")
			.doesNotContain("com.acme.generated.Class19998");
	}

	@Test
	void overBudgetOutputUsesMostOfTheBudget() {
		int maxBytes = 64 * 1024;
		byte[] limited = this.writer.write(manyStacks(20_000), maxBytes);
		assertThat(limited.length).as("not many more samples dropped than needed").isBetween(maxBytes * 9 / 10, maxBytes);
	}

	@Test
	void budgetSmallerThanAnEmptyProfileStillWritesOne() throws Exception {
		GoPprof pprof = GoPprof.locate();
		byte[] tiny = this.writer.write(tenants(ProfileType.CPU), 10);
		Path file = writeToFile(tiny, "tiny.pb.gz");
		assertThat(pprof.run(file, "-comments")).contains("Dropped the 5 coldest of 5 samples, holding 100.0% of cpu "
				+ "nanoseconds, to fit the limit of 10 bytes");
		assertThat(RAW_SAMPLE.matcher(pprof.run(file, "-raw")).find()).isFalse();
	}

	@Test
	void nonPositiveBudgetIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.writer.write(tenants(ProfileType.CPU), 0))
			.withMessage("maxBytes must be positive, was 0");
	}

	/**
	 * {@code n} distinct stacks; stack {@code i} has the value {@code i + 1} and the label
	 * {@code tenant=t<i % 50>}.
	 */
	private static Profile manyStacks(int n) {
		Profile.Builder builder = Profile.builder(ProfileType.CPU, START, 10_000_000);
		for (int i = 0; i < n; i++) {
			StackFrame leaf = new StackFrame("com.acme.generated.Class" + i, "method" + Integer.toHexString(i * 7919),
					"Class" + i + ".java", 1 + (i % 997));
			builder.add(List.of(leaf, HANDLE, RUN), LabelSet.of("tenant", "t" + (i % 50), "shard", "s" + (i % 7)), i + 1,
					(i + 1) * 10_000_000L);
		}
		return builder.note("Generated for the size budget test").build(Duration.ofSeconds(60));
	}

	/**
	 * What the top level of a {@code profile.proto} holds, read with protobuf's wire reader.
	 */
	private static final class Tables {

		final List<String> strings = new ArrayList<>();

		int samples;

		int functions;

		int locations;

		static Tables read(byte[] gzipped) throws IOException {
			Tables tables = new Tables();
			try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
				CodedInputStream input = CodedInputStream.newInstance(in);
				int tag;
				while ((tag = input.readTag()) != 0) {
					switch (WireFormat.getTagFieldNumber(tag)) {
						case 2 -> {
							tables.samples++;
							input.skipField(tag);
						}
						case 4 -> {
							tables.locations++;
							input.skipField(tag);
						}
						case 5 -> {
							tables.functions++;
							input.skipField(tag);
						}
						case 6 -> tables.strings.add(input.readString());
						default -> input.skipField(tag);
					}
				}
			}
			return tables;
		}

	}

}
