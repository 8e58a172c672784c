package dev.diagkit.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.diagkit.profiling.ProfileType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The spool's files: what a window's file holds, their order, and who may use a directory.
 */
class PyroscopeSinkSpoolTests {

	@TempDir
	Path dir;

	@Test
	void aWindowReadsBackAsItWasWritten() throws IOException {
		Map<String, String> labels = new LinkedHashMap<>();
		labels.put("env", "prod");
		labels.put("région", "eu-west, \"1\"");
		WindowUpload upload = new WindowUpload(42, ProfileType.LOCK, Instant.parse("2025-03-01T12:00:00.123456789Z"),
				Instant.parse("2025-03-01T12:00:10Z"), new SeriesLabels("checkout", labels), 1, new byte[] { 31, -117, 8 });
		try (WindowSpool spool = WindowSpool.open(this.dir)) {
			byte[] content = WindowSpool.encode(upload);
			spool.write(7, content);
			assertThat(spool.list()).containsExactly(Map.entry(7L, (long) content.length));
			WindowUpload read = spool.read(7);
			assertThat(read).usingRecursiveComparison().isEqualTo(upload);
		}
	}

	@Test
	void filesListInTheWindowsOrder() throws IOException {
		try (WindowSpool spool = WindowSpool.open(this.dir)) {
			byte[] content = WindowSpool.encode(new WindowUpload(0, ProfileType.CPU, Instant.EPOCH,
					Instant.EPOCH.plusSeconds(10), new SeriesLabels("a", Map.of()), 10, new byte[0]));
			for (long number : new long[] { 10, 9, 100, 2 }) {
				spool.write(number, content);
			}
			assertThat(spool.list().keySet()).containsExactly(2L, 9L, 10L, 100L);
		}
	}

	@Test
	void aDamagedFileIsReportedNotRead() throws IOException {
		try (WindowSpool spool = WindowSpool.open(this.dir)) {
			byte[] content = WindowSpool.encode(new WindowUpload(0, ProfileType.CPU, Instant.EPOCH,
					Instant.EPOCH.plusSeconds(10), new SeriesLabels("a", Map.of()), 10, new byte[100]));
			byte[] truncated = Arrays.copyOf(content, content.length - 10);
			spool.write(1, truncated);
			assertThatExceptionOfType(IOException.class).isThrownBy(() -> spool.read(1));
		}
	}

	@Test
	void temporaryFilesOfAnInterruptedWriteAreDeletedOnOpen() throws IOException {
		Path temporary = this.dir.resolve("window-00000000000000000003.window.tmp");
		Files.write(temporary, new byte[] { 1 });
		Path unrelated = Files.write(this.dir.resolve("notes.txt"), new byte[] { 1 });
		try (WindowSpool spool = WindowSpool.open(this.dir)) {
			assertThat(temporary).doesNotExist();
			assertThat(unrelated).exists();
			assertThat(spool.list()).isEmpty();
		}
	}

	@Test
	void aDirectoryServesOneSinkAtATime() throws IOException {
		try (WindowSpool spool = WindowSpool.open(this.dir)) {
			assertThatIllegalStateException().isThrownBy(() -> WindowSpool.open(this.dir))
				.withMessage("Pyroscope spool directory " + this.dir + " is in use by another, in this process or "
						+ "another (a second instance of the service on this host?); give each a directory of its own");
		}
		WindowSpool.open(this.dir).close();
	}

}
