package dev.diagkit.export;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Stream;

import dev.diagkit.export.shutdown.TerminatedApplicationMain;
import dev.diagkit.profiling.ProfileType;
import dev.diagkit.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application stopped the way a container runtime stops it, by SIGTERM, delivers its
 * last, partial window to the local store and to Pyroscope. JFR's own shutdown hook runs
 * beside the application's, stops every recording and deletes JFR's repository; the window
 * must survive whichever hook runs first. Nothing of continuous profiling's is left in the
 * temporary directory.
 */
class ContinuousProfilingShutdownSignalTests {

	private static final int SIGTERM_EXIT = 128 + 15;

	@TempDir
	Path dir;

	@Test
	void theLastPartialWindowSurvivesSigterm() throws Exception {
		Path store = this.dir.resolve("store");
		Path tmp = Files.createDirectories(this.dir.resolve("tmp"));
		try (PyroscopeIngestServer server = PyroscopeIngestServer.start()) {
			ChildJvm.Terminated child = ChildJvm.runUntilTerminated(TerminatedApplicationMain.class,
					List.of("-Xmx256m", "-Djava.io.tmpdir=" + tmp), Duration.ofMillis(2500), store.toString(),
					server.url().toString(), this.dir.resolve("spool").toString());
			assertThat(child.exitValue()).as(child.console()).isEqualTo(SIGTERM_EXIT);
			assertThat(child.console()).as("logged errors").doesNotContain(" ERROR ");
			List<StoredProfile> windows;
			try (LocalProfileStore stored = new LocalProfileStore(LocalProfileStore.Settings.of(store),
					ExportEvents.NONE)) {
				windows = stored.list().stream().filter((window) -> window.type() == ProfileType.CPU).toList();
			}
			assertThat(windows).as("windows in the store").hasSizeGreaterThanOrEqualTo(2);
			for (int i = 1; i < windows.size(); i++) {
				assertThat(windows.get(i).from()).as("window %d starts where %d ends", i, i - 1)
					.isEqualTo(windows.get(i - 1).until());
			}
			StoredProfile last = windows.get(windows.size() - 1);
			assertThat(last.until()).as("the last window reaches the signal (sent at %s)", child.signalledAt())
				.isAfter(child.signalledAt().minusMillis(200));
			assertThat(Duration.between(last.from(), last.until())).as("the last window is partial")
				.isLessThan(Duration.ofSeconds(5));
			assertThat(last.samples()).as("samples of the last window").isPositive();
			List<PyroscopeIngestServer.Ingest> uploaded = server.stored();
			assertThat(server.violations()).isEmpty();
			assertThat(uploaded).as("windows uploaded to Pyroscope").hasSameSizeAs(windows);
			IngestedProfile lastUploaded = uploaded.get(uploaded.size() - 1).profile();
			// the store names its files to the millisecond
			assertThat(Instant.ofEpochSecond(0, lastUploaded.timeNanos() + lastUploaded.durationNanos())
				.truncatedTo(ChronoUnit.MILLIS)).as("the last upload ends with the last stored window")
				.isEqualTo(last.until());
		}
		try (Stream<Path> left = Files.list(tmp)) {
			assertThat(left.map(Path::getFileName).map(Path::toString))
				.as("continuous profiling's files left in the temporary directory")
				.noneMatch((name) -> name.startsWith("diagkit-continuous-"));
		}
	}

}
