package dev.diagkit.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.MBeanServerFactory;

import dev.diagkit.runtime.NativeMemorySummary.Category;
import dev.diagkit.runtime.NativeMemorySummary.Status;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

class NativeMemorySummaryTests {

	private static final Pattern CHILD_TOTAL = Pattern.compile("(?m)^total\\.committedKb=(\\d+)$");

	private static final Pattern CHILD_HEAP = Pattern
		.compile("(?m)^category=Java Heap;reservedKb=(\\d+);committedKb=(\\d+)$");

	@Test
	void parsesTheSummaryOfJdk17() throws IOException {
		NativeMemorySummary summary = NativeMemorySummary.parse(resource("nmt-summary-jdk17.txt"));
		assertThat(summary.status()).isEqualTo(Status.ENABLED);
		assertThat(summary.enabled()).isTrue();
		assertThat(summary.message()).isEmpty();
		assertThat(summary.total()).hasValue(new Category("Total", 7845647, 490207));
		assertThat(summary.totalReservedKb()).hasValue(7845647);
		assertThat(summary.totalCommittedKb()).hasValue(490207);
		assertThat(summary.categories()).hasSize(19);
		assertThat(summary.categories().get(0)).isEqualTo(new Category("Java Heap", 6172672, 397312));
		assertThat(summary.category("Class")).hasValue(new Category("Class", 1048843, 1739));
		assertThat(summary.category("Native Memory Tracking"))
			.hasValue(new Category("Native Memory Tracking", 1137, 1137));
		assertThat(summary.category("String Deduplication")).hasValue(new Category("String Deduplication", 1, 1));
		assertThat(summary.category("Object Monitors")).isEmpty();
		assertThat(summary.text()).contains("Native Memory Tracking:");
	}

	@Test
	void parsesTheSummaryOfJdk25() throws IOException {
		NativeMemorySummary summary = NativeMemorySummary.parse(resource("nmt-summary-jdk25.txt"));
		assertThat(summary.status()).isEqualTo(Status.ENABLED);
		assertThat(summary.total()).hasValue(new Category("Total", 7742599, 487971));
		assertThat(summary.categories()).hasSize(20);
		assertThat(summary.category("Java Heap")).hasValue(new Category("Java Heap", 6172672, 393216));
		// JDK 25 adds ", readonly=0KB" to this category's line
		assertThat(summary.category("Shared class space")).hasValue(new Category("Shared class space", 16384, 13908));
		assertThat(summary.category("Object Monitors")).hasValue(new Category("Object Monitors", 1, 1));
	}

	@Test
	void readsOtherScales() {
		NativeMemorySummary summary = NativeMemorySummary.parse("""

				Native Memory Tracking:

				Total: reserved=7560MB, committed=475MB
				       malloc: 18MB #52943, peak=21MB #52426

				-                 Java Heap (reserved=6028MB, committed=384MB)
				""");
		assertThat(summary.total()).hasValue(new Category("Total", 7560 * 1024, 475 * 1024));
		assertThat(summary.categories()).containsExactly(new Category("Java Heap", 6028 * 1024, 384 * 1024));
	}

	@Test
	void notEnabledSaysHowToEnable() {
		NativeMemorySummary summary = NativeMemorySummary.parse("Native memory tracking is not enabled\n");
		assertThat(summary.status()).isEqualTo(Status.NOT_ENABLED);
		assertThat(summary.enabled()).isFalse();
		assertThat(summary.message()).contains("-XX:NativeMemoryTracking=summary").contains("memory").contains("CPU");
		assertThat(summary.total()).isEmpty();
		assertThat(summary.categories()).isEmpty();
		assertThat(summary.toJson()).containsExactly(Map.entry("status", "not-enabled"),
				Map.entry("message", NativeMemorySummary.ENABLE_MESSAGE));
	}

	@Test
	void anyOtherAnswerIsUnavailableWithTheJvmsWords() {
		NativeMemorySummary summary = NativeMemorySummary.parse("Native memory tracking has been shutdown\n");
		assertThat(summary.status()).isEqualTo(Status.UNAVAILABLE);
		assertThat(summary.message()).contains("has been shutdown");
	}

	@Test
	void aJvmWithoutTheDiagnosticCommandMBeanIsUnavailable() {
		NativeMemorySummary summary = NativeMemorySummary.take(MBeanServerFactory.newMBeanServer());
		assertThat(summary.status()).isEqualTo(Status.UNAVAILABLE);
		assertThat(summary.message()).contains("DiagnosticCommand");
		assertThat(summary.toJson()).containsKeys("status", "message").containsEntry("status", "unavailable");
	}

	@Test
	void jsonHasTotalCategoriesAndText() throws IOException {
		Map<String, Object> json = NativeMemorySummary.parse(resource("nmt-summary-jdk25.txt")).toJson();
		assertThat(json).containsEntry("status", "enabled")
			.containsEntry("total", Map.of("reservedKb", 7742599L, "committedKb", 487971L))
			.containsKeys("categories", "text");
		assertThat(json.get("categories")).asInstanceOf(InstanceOfAssertFactories.map(String.class, Object.class))
			.containsEntry("Java Heap", Map.of("reservedKb", 6172672L, "committedKb", 393216L));
	}

	@Test
	void thisTestJvmRunsWithoutTrackingAndSaysHowToEnableIt() {
		List<String> arguments = ManagementFactory.getRuntimeMXBean().getInputArguments();
		assumeThat(arguments).as("a JVM started without -XX:NativeMemoryTracking").noneMatch((argument) -> argument.startsWith("-XX:NativeMemoryTracking="));
		NativeMemorySummary summary = NativeMemorySummary.take();
		assertThat(summary.status()).isEqualTo(Status.NOT_ENABLED);
		assertThat(summary.message()).contains("-XX:NativeMemoryTracking=summary");
	}

	@Test
	void childJvmWithTrackingGivesTotalAndJavaHeap(@TempDir Path dir) throws Exception {
		String java = ProcessHandle.current()
			.info()
			.command()
			.orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		Path output = dir.resolve("child.txt");
		Path log = dir.resolve("child.log");
		ProcessBuilder builder = new ProcessBuilder(java, "-XX:NativeMemoryTracking=summary", "-Xmx64m",
				"-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
				NativeMemorySummaryMain.class.getName(), output.toString())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile());
		Process child = builder.start();
		try {
			assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child JVM finished within 60 s").isTrue();
			assertThat(child.exitValue()).as(Files.readString(log)).isZero();
			String text = Files.readString(output);
			assertThat(text).as(text).contains("status=ENABLED");
			Matcher total = CHILD_TOTAL.matcher(text);
			assertThat(total.find()).as(text).isTrue();
			assertThat(Long.parseLong(total.group(1))).isPositive();
			Matcher heap = CHILD_HEAP.matcher(text);
			assertThat(heap.find()).as(text).isTrue();
			// -Xmx64m reserves 64 MB of heap
			assertThat(Long.parseLong(heap.group(1))).isEqualTo(64 * 1024);
			assertThat(Long.parseLong(heap.group(2))).isPositive();
			assertThat(text).contains("Total: reserved=").contains("Java Heap (reserved=");
		}
		finally {
			child.destroyForcibly();
		}
	}

	private static String resource(String name) throws IOException {
		try (InputStream in = NativeMemorySummaryTests.class.getResourceAsStream(name)) {
			assertThat(in).as(name).isNotNull();
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

}
