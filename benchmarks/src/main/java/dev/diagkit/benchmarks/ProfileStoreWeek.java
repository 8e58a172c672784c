package dev.diagkit.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.diagkit.export.ExportEvents;
import dev.diagkit.export.LocalProfileStore;
import dev.diagkit.export.ProfileWindow;
import dev.diagkit.export.SeriesLabels;
import dev.diagkit.export.StoredProfile;
import dev.diagkit.export.StoredRange;
import dev.diagkit.profiling.PprofReader;
import dev.diagkit.profiling.PprofWriter;
import dev.diagkit.profiling.Profile;
import dev.diagkit.profiling.ProfileType;

/**
 * Range queries over a week of continuous profiles in the local store. Builds the week from
 * real windows (the raw CPU windows of a store the sample application filled, replayed in
 * turn, one every 15 s of a simulated clock, through the store's own compaction: raw for the
 * last hour, five-minute files for the last day, hourly beyond), then merges the last hour,
 * day and week focused on one tenant, five times each, and reports the best and median
 * times, the peak heap of the merges and the disk the week takes. Run it in a JVM of its
 * own with a small heap to prove the bound:
 * <pre>
 * java -Xmx64m -cp benchmarks/target/benchmarks.jar dev.diagkit.benchmarks.ProfileStoreWeek \
 *   /tmp/diagkit-profiles-diagkit-sample /tmp/diagkit-week
 * </pre>
 */
public final class ProfileStoreWeek {

	private static final System.Logger logger = System.getLogger(ProfileStoreWeek.class.getName());

	private static final Duration PERIOD = Duration.ofSeconds(15);

	private ProfileStoreWeek() {
	}

	public static void main(String[] args) throws Exception {
		Path source = Path.of(args[0]);
		Path week = Path.of(args[1]);
		String focusTenant = (args.length > 2) ? args[2] : "acme";
		List<Profile> windows = readWindows(source);
		if (windows.isEmpty()) {
			throw new IllegalArgumentException("No raw cpu windows under " + source.resolve("cpu"));
		}
		Instant now = Instant.parse("2026-12-01T12:00:00Z");
		MutableClock clock = new MutableClock(now.minus(Duration.ofDays(7)));
		long start = System.nanoTime();
		try (LocalProfileStore store = new LocalProfileStore(LocalProfileStore.Settings.of(week).withClock(clock),
				ExportEvents.NONE)) {
			if (store.list().isEmpty()) {
				fill(store, windows, clock, now);
			}
			long built = System.nanoTime() - start;
			List<StoredProfile> stored = store.list();
			long raw = stored.stream().filter((p) -> p.resolution() == StoredProfile.Resolution.RAW).count();
			long fiveMinute = stored.stream()
				.filter((p) -> p.resolution() == StoredProfile.Resolution.FIVE_MINUTES)
				.count();
			long hourly = stored.size() - raw - fiveMinute;
			logger.log(System.Logger.Level.INFO, String.format(
					"week from %d real windows: %d files (%d raw, %d five-minute, %d hourly), %.1f MiB of the 256 MiB "
							+ "cap, built in %.0f s",
					windows.size(), stored.size(), raw, fiveMinute, hourly, store.sizeBytes() / 1048576.0,
					built / 1e9));
			for (Duration range : List.of(Duration.ofHours(1), Duration.ofDays(1), Duration.ofDays(7))) {
				query(store, now, range, focusTenant);
			}
		}
	}

	private static List<Profile> readWindows(Path source) throws IOException {
		PprofReader reader = new PprofReader();
		List<Profile> windows = new ArrayList<>();
		try (Stream<Path> files = Files.list(source.resolve("cpu"))) {
			for (Path file : files.filter((f) -> f.getFileName().toString().contains("-raw-")).sorted().toList()) {
				windows.add(reader.read(Files.readAllBytes(file), ProfileType.CPU));
			}
		}
		return windows;
	}

	private static void fill(LocalProfileStore store, List<Profile> windows, MutableClock clock, Instant now) {
		PprofWriter writer = new PprofWriter();
		SeriesLabels series = new SeriesLabels("diagkit-sample", Map.of());
		long sequence = 0;
		for (Instant from = now.minus(Duration.ofDays(7)); from.isBefore(now); from = from.plus(PERIOD)) {
			Profile source = windows.get((int) (sequence % windows.size()));
			Profile window = new Profile(ProfileType.CPU, from, PERIOD, source.period(), source.samples(),
					source.notes());
			clock.set(from.plus(PERIOD).plusSeconds(1));
			store.accept(new ProfileWindow(sequence++, ProfileType.CPU, from, from.plus(PERIOD), series, window,
					writer.write(window)));
		}
		store.compact();
	}

	private static void query(LocalProfileStore store, Instant now, Duration range, String tenant) {
		long[] times = new long[5];
		long peak = 0;
		StoredRange result = null;
		for (int run = 0; run < times.length; run++) {
			System.gc();
			ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
			long start = System.nanoTime();
			result = store.merge(ProfileType.CPU, now.minus(range), now,
					(labels) -> tenant.equals(labels.get("tenant")));
			times[run] = System.nanoTime() - start;
			peak = Math.max(peak, ManagementFactory.getMemoryPoolMXBeans()
				.stream()
				.filter((pool) -> pool.getType() == MemoryType.HEAP)
				.mapToLong((pool) -> pool.getPeakUsage().getUsed())
				.sum());
		}
		Arrays.sort(times);
		logger.log(System.Logger.Level.INFO,
				String.format("merge of %s focused on tenant=%s: %d files, %d distinct stacks; best %.0f ms, median "
						+ "%.0f ms; peak heap %.1f MiB (max heap %.0f MiB)", range, tenant, result.files(),
						result.profile().samples().size(), times[0] / 1e6, times[2] / 1e6, peak / 1048576.0,
						Runtime.getRuntime().maxMemory() / 1048576.0));
	}

	/** A clock the week's windows move forward, so the store compacts as it would live. */
	private static final class MutableClock extends Clock {

		private volatile Instant now;

		MutableClock(Instant now) {
			this.now = now;
		}

		void set(Instant now) {
			this.now = now;
		}

		@Override
		public ZoneOffset getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

}
