package dev.diagkit.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.diagkit.export.StoreFixtures.RecordedEvents;
import dev.diagkit.export.StoreFixtures.TestClock;
import dev.diagkit.export.StoredProfile.Resolution;
import dev.diagkit.profiling.Profile;
import dev.diagkit.profiling.ProfileType;

import static dev.diagkit.export.StoreFixtures.T0;
import static dev.diagkit.export.StoreFixtures.count;
import static dev.diagkit.export.StoreFixtures.directorySize;
import static dev.diagkit.export.StoreFixtures.sums;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A child JVM compacting a large store is killed ({@code kill -9}) mid-way, again and again;
 * after each kill a new store on the directory opens, lists and merges, and counts every
 * window exactly once.
 */
class LocalProfileStoreCrashTests {

	private static final int KILLS = 6;

	/** The exit code of a process killed by SIGKILL. */
	private static final int KILLED = 128 + 9;

	private static final Duration WINDOW = Duration.ofSeconds(2);

	private static final int WINDOWS = 1800;

	private static final int SAMPLES = 40;

	@TempDir
	Path dir;

	@Test
	void storeKilledMidCompactionReopensWithEveryWindowCountedOnce() throws Exception {
		TestClock clock = new TestClock(T0);
		RecordedEvents events = new RecordedEvents();
		// an hour of 2 s windows: 1,800 files, kept raw while written; a compaction deletes
		// 150 of them after each five-minute file it writes
		List<ProfileWindow> windows = new ArrayList<>();
		for (int i = 0; i < WINDOWS; i++) {
			windows.add(StoreFixtures.window(ProfileType.CPU, T0.plus(WINDOW.multipliedBy(i)), WINDOW, SAMPLES, 80, i));
		}
		LocalProfileStore writer = new LocalProfileStore(LocalProfileStore.Settings.of(this.dir)
			.withClock(clock)
			.withCompaction(Duration.ofDays(30), Duration.ofDays(30)), events);
		windows.forEach(writer::accept);
		writer.close();
		Profile expected = LocalProfileStoreTests.merged(windows);
		Instant end = T0.plus(WINDOW.multipliedBy(WINDOWS));
		// two days later every window is due for five-minute and then hourly files
		Instant now = end.plus(Duration.ofDays(2));
		clock.set(now);

		Random random = new Random(11);
		int kills = 0;
		for (int round = 0; round < KILLS; round++) {
			// kill as a merged file is written (round 0, 3), as its sources are deleted (1, 4),
			// or while the next bucket is read (2, 5)
			Path merged = fiveMinuteFile(mergedFiles() + random.nextInt(3));
			Path temp = merged.resolveSibling(merged.getFileName() + ".tmp");
			Path console = Files.createTempFile("store-child-", ".log");
			Process child = start(now, console);
			try {
				long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
				// the temporary file lives for a moment: the merged file is the fallback
				while (child.isAlive() && !(round % 3 == 0 && Files.exists(temp)) && !Files.exists(merged)
						&& System.nanoTime() < deadline) {
					Thread.onSpinWait();
				}
				if (round % 3 == 2) {
					Thread.sleep(1 + random.nextInt(20));
				}
			}
			finally {
				child.destroyForcibly();
				assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
			}
			String output = Files.readString(console);
			Files.delete(console);
			assertThat(child.exitValue()).as("exit code of the child (137: killed); its output: %s", output)
				.isIn(0, KILLED);
			if (child.exitValue() == 0) {
				break;
			}
			kills++;
			LocalProfileStore reopened = new LocalProfileStore(
					LocalProfileStore.Settings.of(this.dir).withClock(clock), events);
			List<StoredProfile> listed = reopened.list();
			assertThat(listed.stream().mapToLong(StoredProfile::samples).sum()).as("listed after kill %d", kills)
				.isEqualTo(count(expected));
			StoredRange range = reopened.merge(ProfileType.CPU, T0, end, (labels) -> true);
			assertThat(count(range.profile())).as("merged after kill %d", kills).isEqualTo(count(expected));
			assertThat(sums(range.profile())).isEqualTo(sums(expected));
			assertThat(reopened.sizeBytes()).isEqualTo(directorySize(this.dir));
			reopened.close();
		}
		assertThat(kills).as("kills that interrupted a compaction").isPositive();

		LocalProfileStore finished = new LocalProfileStore(LocalProfileStore.Settings.of(this.dir).withClock(clock),
				events);
		finished.compact();
		assertThat(finished.list()).extracting(StoredProfile::resolution).containsOnly(Resolution.HOUR).hasSize(1);
		StoredRange range = finished.merge(ProfileType.CPU, T0, end, (labels) -> true);
		assertThat(sums(range.profile())).isEqualTo(sums(expected));
		assertThat(events.dropped("store-full") + events.dropped("retention")).isZero();
	}

	private Process start(Instant now, Path console) throws IOException {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(List.of("-Xmx128m", "-cp", System.getProperty("java.class.path"),
				StoreCompactionChildMain.class.getName(), this.dir.toString(), Long.toString(now.toEpochMilli())));
		return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(console.toFile()).start();
	}

	/** The five-minute file of the {@code n}th five minutes from T0, counting from 0. */
	private Path fiveMinuteFile(int n) {
		Instant from = T0.plus(Duration.ofMinutes(5L * n));
		return this.dir.resolve("cpu").resolve(String.format("%013d-%013d-5m-%d.pb.gz", from.toEpochMilli(),
				from.plus(Duration.ofMinutes(5)).toEpochMilli(), 150 * SAMPLES));
	}

	/** Files of the five-minute and hourly grids, temporary ones included. */
	private int mergedFiles() throws IOException {
		try (Stream<Path> files = Files.list(this.dir.resolve("cpu"))) {
			return (int) files.map((file) -> file.getFileName().toString())
				.filter((name) -> name.contains("-5m-") || name.contains("-1h-"))
				.count();
		}
	}

}
