package dev.diagkit.export;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Properties;

import dev.diagkit.profiling.Profile;
import dev.diagkit.profiling.ProfileType;
import dev.diagkit.testing.ChildJvm;

/**
 * Merges a range of a profile store's CPU profiles, with a deadline of a minute, and reports
 * the result and how long it took: {@code <results> <directory> <from> <to>} (epoch
 * milliseconds).
 */
public final class StoreMergeChildMain {

	private StoreMergeChildMain() {
	}

	public static void main(String[] args) throws Exception {
		Instant from = Instant.ofEpochMilli(Long.parseLong(args[2]));
		Instant to = Instant.ofEpochMilli(Long.parseLong(args[3]));
		LocalProfileStore store = new LocalProfileStore(
				LocalProfileStore.Settings.of(Path.of(args[1])).withClock(Clock.fixed(to, ZoneOffset.UTC)),
				ExportEvents.NONE);
		long start = System.nanoTime();
		StoredRange range = store.merge(ProfileType.CPU, from, to, (labels) -> true, Duration.ofMinutes(1));
		long millis = (System.nanoTime() - start) / 1_000_000;
		long count = 0;
		for (Profile.Sample sample : range.profile().samples()) {
			count += sample.value(0);
		}
		Properties results = new Properties();
		results.setProperty("files", Integer.toString(range.files()));
		results.setProperty("stacks", Integer.toString(range.profile().samples().size()));
		results.setProperty("count", Long.toString(count));
		results.setProperty("millis", Long.toString(millis));
		results.setProperty("notes", String.join("\n", range.profile().notes()));
		ChildJvm.report(args[0], results);
	}

}
