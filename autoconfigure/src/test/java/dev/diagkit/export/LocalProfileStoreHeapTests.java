package dev.diagkit.export;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.diagkit.export.StoreFixtures.TestClock;
import dev.diagkit.labels.LabelSet;
import dev.diagkit.profiling.PprofWriter;
import dev.diagkit.profiling.Profile;
import dev.diagkit.profiling.ProfileType;
import dev.diagkit.profiling.StackFrame;
import dev.diagkit.testing.ChildJvm;

import static dev.diagkit.export.StoreFixtures.SERIES;
import static dev.diagkit.export.StoreFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A week of hourly profiles merges in a JVM of 64 MB of heap. The profiles are a hard case:
 * every hour's stacks end in frames of their own (a real service's repeat from hour to
 * hour), some hours are as large as a compacted file may be, and the week holds far more
 * distinct stacks than a merge keeps. The merge's deadline is lifted: this test is about
 * memory, on a machine that may be busy.
 */
class LocalProfileStoreHeapTests {

	private static final int HOURS = 7 * 24;

	/** Stacks per ordinary hour; every twelfth hour has {@link #BUSY_STACKS}. */
	private static final int STACKS = 4_000;

	private static final int BUSY_STACKS = LocalProfileStore.MAX_STACKS;

	/** Distinct hours of profiles, repeated through the week. */
	private static final int DISTINCT_HOURS = 24;

	@TempDir
	Path dir;

	@Test
	void weekOfProfilesMergesWithin64MegabytesOfHeap() throws Exception {
		LocalProfileStore store = new LocalProfileStore(LocalProfileStore.Settings.of(this.dir)
			.withClock(new TestClock(T0))
			.withMaxBytes(Long.MAX_VALUE)
			.withCompaction(Duration.ofDays(30), Duration.ofDays(30)), ExportEvents.NONE);
		List<byte[]> hours = new ArrayList<>();
		List<Long> counts = new ArrayList<>();
		for (int h = 0; h < DISTINCT_HOURS; h++) {
			Profile profile = hour(h, (h % 12 == 0) ? BUSY_STACKS : STACKS);
			hours.add(new PprofWriter().write(profile, Long.MAX_VALUE));
			counts.add(StoreFixtures.count(profile));
		}
		long expected = 0;
		for (int h = 0; h < HOURS; h++) {
			Instant from = T0.plus(Duration.ofHours(h));
			Profile profile = Profile.builder(ProfileType.CPU, from, 10_000_000).build(Duration.ofHours(1));
			store.accept(new ProfileWindow(h, ProfileType.CPU, from, from.plus(Duration.ofHours(1)), SERIES, profile,
					hours.get(h % DISTINCT_HOURS)));
			expected += counts.get(h % DISTINCT_HOURS);
		}
		Instant end = T0.plus(Duration.ofHours(HOURS));
		// the child opens the store on the directory: one store uses it at a time
		store.close();
		Properties results = ChildJvm.run(StoreMergeChildMain.class, List.of("-Xmx64m"), this.dir.toString(),
				Long.toString(T0.toEpochMilli()), Long.toString(end.toEpochMilli()));
		assertThat(results.getProperty("files")).isEqualTo(Integer.toString(HOURS));
		assertThat(Long.parseLong(results.getProperty("count"))).as("every sample counted").isEqualTo(expected);
		assertThat(Integer.parseInt(results.getProperty("stacks"))).isLessThanOrEqualTo(LocalProfileStore.MAX_STACKS);
		assertThat(results.getProperty("notes")).contains("Folded ");
	}

	/** An hour's profile: {@code stacks} stacks of their own, 20 deep, under three tenants. */
	private static Profile hour(int hour, int stacks) {
		Profile.Builder builder = Profile.builder(ProfileType.CPU, T0, 10_000_000);
		StackFrame[] shared = new StackFrame[19];
		for (int i = 0; i < shared.length; i++) {
			shared[i] = new StackFrame("org.springframework.layer" + i + ".Invoker", "invoke", "Invoker.java", 100 + i);
		}
		for (int s = 0; s < stacks; s++) {
			StackFrame[] frames = new StackFrame[20];
			frames[0] = new StackFrame("com.acme.generated.Hour" + hour + "Service" + (s / 100), "work" + (s % 100),
					"Service.java", 1 + s % 300);
			System.arraycopy(shared, 0, frames, 1, shared.length);
			builder.add(List.of(frames), LabelSet.of("tenant", StoreFixtures.TENANTS.get(s % 3), "endpoint",
					"GET /e" + (s % 17)), 1 + s % 5, (1 + s % 5) * 10_000_000L);
		}
		return builder.build(Duration.ofHours(1));
	}

}
