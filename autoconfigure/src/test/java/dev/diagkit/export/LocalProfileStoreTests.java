package dev.diagkit.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.diagkit.export.StoreFixtures.RecordedEvents;
import dev.diagkit.export.StoreFixtures.TestClock;
import dev.diagkit.export.StoredProfile.Resolution;
import dev.diagkit.labels.LabelSet;
import dev.diagkit.profiling.PprofReader;
import dev.diagkit.profiling.PprofWriter;
import dev.diagkit.profiling.Profile;
import dev.diagkit.profiling.ProfileType;
import dev.diagkit.runtime.DirectoryLock;

import static dev.diagkit.export.StoreFixtures.T0;
import static dev.diagkit.export.StoreFixtures.count;
import static dev.diagkit.export.StoreFixtures.directorySize;
import static dev.diagkit.export.StoreFixtures.sums;
import static dev.diagkit.export.StoreFixtures.window;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The local profile store on real files in a temporary directory, with real pprof: names,
 * bounds, compaction, recovery from an interrupted compaction, and range queries.
 */
class LocalProfileStoreTests {

	private static final Duration TEN_SECONDS = Duration.ofSeconds(10);

	private final TestClock clock = new TestClock(T0);

	private final RecordedEvents events = new RecordedEvents();

	@TempDir
	Path dir;

	private LocalProfileStore.Settings settings() {
		return LocalProfileStore.Settings.of(this.dir).withClock(this.clock);
	}

	/** Settings under which nothing is compacted. */
	private LocalProfileStore.Settings noCompaction() {
		return settings().withCompaction(Duration.ofDays(30), Duration.ofDays(30));
	}

	@Test
	void aDirectoryServesOneStoreAtATime() throws IOException {
		LocalProfileStore store = new LocalProfileStore(noCompaction(), this.events);
		// a window the first store is writing: a second store must not take it for a crash's
		Path writing = Files.writeString(this.dir.resolve("cpu/1740960000000-1740960010000-raw-5.pb.gz.tmp"), "");
		assertThatExceptionOfType(DirectoryLock.DirectoryInUseException.class)
			.isThrownBy(() -> new LocalProfileStore(noCompaction(), this.events))
			.withMessage("Profile store directory " + this.dir + " is in use by another, in this process or another "
					+ "(a second instance of the service on this host?); give each a directory of its own");
		assertThat(writing).exists();
		store.close();
		new LocalProfileStore(noCompaction(), this.events).close();
		assertThat(writing).doesNotExist();
	}

	@Test
	void windowIsWrittenUnderANameThatSaysWhatItHolds() throws IOException {
		LocalProfileStore store = new LocalProfileStore(settings(), this.events);
		ProfileWindow window = window(ProfileType.CPU, T0, TEN_SECONDS, 500, 40, 1);
		this.clock.set(window.until());
		store.accept(window);
		Path file = this.dir.resolve("cpu/1740960000000-1740960010000-raw-500.pb.gz");
		assertThat(file).exists();
		assertThat(Files.readAllBytes(file)).isEqualTo(window.pprof());
		assertThat(store.list()).containsExactly(new StoredProfile(ProfileType.CPU, T0, window.until(), Resolution.RAW,
				500, window.pprof().length));
		assertThat(store.sizeBytes()).isEqualTo(window.pprof().length).isEqualTo(directorySize(this.dir));
		assertThat(store.name()).isEqualTo("store");
	}

	@Test
	void storeOpensOnWhatAnEarlierOneLeftAndDeletesOnlyItsTemporaryFiles() throws IOException {
		LocalProfileStore store = new LocalProfileStore(noCompaction(), this.events);
		List<ProfileWindow> windows = windows(ProfileType.ALLOC, T0, 5);
		windows.forEach(store::accept);
		store.close();
		Path temp = this.dir.resolve("alloc/1740960050000-1740960060000-raw-100.pb.gz.tmp");
		Files.write(temp, new byte[1000]);
		Path foreign = this.dir.resolve("alloc/notes.txt");
		Files.writeString(foreign, "mine");
		LocalProfileStore reopened = new LocalProfileStore(noCompaction(), this.events);
		assertThat(temp).doesNotExist();
		assertThat(foreign).exists();
		assertThat(reopened.list()).hasSize(5).allSatisfy((stored) -> assertThat(stored.type()).isEqualTo(ProfileType.ALLOC));
		assertThat(reopened.sizeBytes()).isEqualTo(directorySize(this.dir) - Files.size(foreign));
	}

	@Test
	void filesOlderThanTheRetentionAreDeleted() {
		LocalProfileStore store = new LocalProfileStore(noCompaction().withRetention(Duration.ofDays(7)), this.events);
		// one window an hour for 10 days
		for (int hour = 0; hour < 240; hour++) {
			ProfileWindow window = window(ProfileType.LOCK, T0.plus(Duration.ofHours(hour)), TEN_SECONDS, 20, 10, hour);
			this.clock.set(window.until());
			store.accept(window);
		}
		Instant cutoff = this.clock.instant().minus(Duration.ofDays(7));
		List<StoredProfile> kept = store.list();
		assertThat(kept).allSatisfy((stored) -> assertThat(stored.until()).isAfter(cutoff));
		assertThat(kept).hasSize(7 * 24);
		assertThat(this.events.dropped("retention")).isEqualTo(240 - 7 * 24);
		this.clock.advance(Duration.ofDays(1));
		store.compact();
		assertThat(store.list()).hasSize(6 * 24);
		assertThat(this.events.dropped("retention")).isEqualTo(240 - 6 * 24);
		assertThat(store.sizeBytes()).isEqualTo(directorySize(this.dir));
	}

	@Test
	void writeStormNeverTakesMoreThanTheCap() {
		long cap = 300 * 1024;
		LocalProfileStore store = new LocalProfileStore(settings().withMaxBytes(cap)
			.withCompaction(Duration.ofMinutes(1), Duration.ofMinutes(5)), this.events);
		long written = 0;
		Set<Resolution> seen = EnumSet.noneOf(Resolution.class);
		// 3.3 hours of windows of the three types, as fast as they can be written
		for (int i = 0; i < 3600; i++) {
			ProfileType type = ProfileType.values()[i % 3];
			ProfileWindow window = window(type, T0.plus(TEN_SECONDS.multipliedBy(i / 3)), TEN_SECONDS, 20 + i % 60,
					200, i);
			this.clock.set(window.until());
			store.accept(window);
			written += window.pprof().length;
			long onDisk = directorySize(this.dir);
			assertThat(onDisk).as("after window %d", i).isLessThanOrEqualTo(cap).isEqualTo(store.sizeBytes());
			store.list().forEach((stored) -> seen.add(stored.resolution()));
		}
		assertThat(written).isGreaterThan(10 * cap);
		assertThat(this.events.dropped("store-full")).isPositive();
		assertThat(seen).as("compaction ran during the storm").containsExactlyInAnyOrder(Resolution.values());
		List<StoredProfile> listed = store.list();
		assertThat(listed.get(listed.size() - 1).until()).isEqualTo(this.clock.instant());
	}

	@Test
	void windowLargerThanTheCapIsDropped() {
		ProfileWindow window = window(ProfileType.CPU, T0, TEN_SECONDS, 2000, 500, 7);
		LocalProfileStore store = new LocalProfileStore(settings().withMaxBytes(window.pprof().length - 1),
				this.events);
		this.clock.set(window.until());
		store.accept(window);
		assertThat(store.list()).isEmpty();
		assertThat(this.events.dropped("store-full")).isEqualTo(1);
		assertThat(directorySize(this.dir)).isZero();
	}

	@Test
	void compactionSumsEqualTheRawWindows() throws IOException {
		LocalProfileStore store = new LocalProfileStore(noCompaction(), this.events);
		// two hours of 10 s windows from T0
		List<ProfileWindow> windows = windows(ProfileType.CPU, T0, 2 * 360);
		windows.forEach(store::accept);
		Profile all = merged(windows);
		store.close();

		this.clock.set(T0.plus(Duration.ofHours(2)).plus(Duration.ofMinutes(2)));
		store = new LocalProfileStore(settings(), this.events);
		store.compact();
		// raw windows that ended more than an hour ago are in five-minute files: the first hour
		List<StoredProfile> listed = store.list();
		assertThat(listed).filteredOn((stored) -> stored.resolution() == Resolution.FIVE_MINUTES).hasSize(12);
		assertThat(listed).filteredOn((stored) -> stored.resolution() == Resolution.RAW).hasSize(360);
		for (StoredProfile stored : listed) {
			if (stored.resolution() == Resolution.FIVE_MINUTES) {
				assertThat(stored.from().toEpochMilli() % 300_000).isZero();
				assertThat(Duration.between(stored.from(), stored.until())).isEqualTo(Duration.ofMinutes(5));
				List<ProfileWindow> sources = windows.stream()
					.filter((w) -> !w.from().isBefore(stored.from()) && w.until().compareTo(stored.until()) <= 0)
					.toList();
				assertThat(sources).hasSize(30);
				Profile file = new PprofReader().read(this.dir.resolve("cpu").resolve(fileName(stored)));
				assertThat(sums(file)).isEqualTo(sums(merged(sources)));
				assertThat(stored.samples()).isEqualTo(count(file));
			}
		}
		assertMergeEquals(store, all);

		this.clock.advance(Duration.ofDays(2));
		store.compact();
		assertThat(store.list()).extracting(StoredProfile::resolution).containsOnly(Resolution.HOUR).hasSize(2);
		assertMergeEquals(store, all);
		assertThat(store.list().stream().mapToLong(StoredProfile::samples).sum()).isEqualTo(count(all));
		assertThat(store.sizeBytes()).isEqualTo(directorySize(this.dir));
	}

	@Test
	void compactionLeavesOutTheIdsOfRequestsAndKeepsTheirCost() throws IOException {
		LocalProfileStore store = new LocalProfileStore(noCompaction(), this.events);
		// an hour and a half of 10 s windows in which every sample is a request of its own
		int windowCount = 540;
		long perRequest = 0;
		for (int w = 0; w < windowCount; w++) {
			Instant from = T0.plusSeconds(10L * w);
			Profile.Builder builder = Profile.builder(ProfileType.CPU, from, 10_000_000);
			for (int i = 0; i < 50; i++) {
				String span = String.format("%016x", (long) w * 1000 + i);
				builder.add(StoreFixtures.stack(i % 7), LabelSet.of("tenant", (i % 3 == 0) ? "acme" : "globex",
						"span_id", span, "trace_id", span + span), 1, 10_000_000);
				perRequest++;
			}
			Profile profile = builder.build(Duration.ofSeconds(10));
			store.accept(new ProfileWindow(w, ProfileType.CPU, from, from.plusSeconds(10), StoreFixtures.SERIES,
					profile, new PprofWriter().write(profile)));
		}
		store.close();
		this.clock.set(T0.plusSeconds(10L * windowCount).plus(Duration.ofMinutes(2)));
		store = new LocalProfileStore(settings(), this.events);
		store.compact();
		assertThat(store.list()).filteredOn((stored) -> stored.resolution() == Resolution.FIVE_MINUTES).isNotEmpty();
		StoredRange compacted = store.merge(ProfileType.CPU, T0, T0.plus(Duration.ofMinutes(30)), (labels) -> true);
		assertThat(compacted.profile().samples()).as("compacted samples")
			.allSatisfy((sample) -> assertThat(sample.labels().asMap()).containsOnlyKeys("tenant"));
		assertThat(count(compacted.profile())).isEqualTo(180L * 50);
		// 7 stacks under 2 tenants: the requests' samples were summed
		assertThat(compacted.profile().samples()).hasSizeLessThanOrEqualTo(14);
		StoredRange recent = store.merge(ProfileType.CPU, T0.plus(Duration.ofMinutes(80)),
				T0.plus(Duration.ofMinutes(90)), (labels) -> labels.get("span_id") != null);
		assertThat(count(recent.profile())).as("raw windows keep the ids").isEqualTo(60L * 50);
		assertThat(count(store.merge(ProfileType.CPU, T0, T0.plus(Duration.ofMinutes(90)), (labels) -> true)
			.profile())).isEqualTo(perRequest);
	}

	@Test
	void acceptCompactsOnItsOwn() {
		LocalProfileStore store = new LocalProfileStore(settings(), this.events);
		List<ProfileWindow> windows = windows(ProfileType.ALLOC, T0, 80 * 6);
		for (ProfileWindow window : windows) {
			this.clock.set(window.until());
			store.accept(window);
		}
		List<StoredProfile> listed = store.list();
		// after 80 minutes, the first 20 are in five-minute files, less what is due next minute
		assertThat(listed).filteredOn((stored) -> stored.resolution() == Resolution.FIVE_MINUTES).hasSizeBetween(3, 4);
		assertMergeEquals(store, merged(windows));
	}

	@Test
	void leftoversOfAnInterruptedCompactionAreDeletedAndNothingCountsTwice() throws IOException {
		Path interrupted = Files.createDirectory(this.dir.resolve("interrupted"));
		Path complete = Files.createDirectory(this.dir.resolve("complete"));
		List<ProfileWindow> windows = windows(ProfileType.CPU, T0, 360);
		LocalProfileStore first = new LocalProfileStore(
				LocalProfileStore.Settings.of(complete).withClock(this.clock).withCompaction(Duration.ofDays(30),
						Duration.ofDays(30)),
				this.events);
		windows.forEach(first::accept);
		first.close();
		copyTree(complete, interrupted);
		this.clock.set(T0.plus(Duration.ofHours(3)));
		new LocalProfileStore(LocalProfileStore.Settings.of(complete).withClock(this.clock), this.events).compact();
		// the interrupted directory: every merged file written, no source deleted, and a
		// merged file half written
		List<Path> merged;
		try (Stream<Path> files = Files.list(complete.resolve("cpu"))) {
			merged = files.toList();
		}
		assertThat(merged).hasSize(12);
		for (Path file : merged) {
			Files.copy(file, interrupted.resolve("cpu").resolve(file.getFileName()));
		}
		Path halfWritten = interrupted.resolve("cpu").resolve("1740963600000-1740963900000-5m-3000.pb.gz.tmp");
		Files.write(halfWritten, new byte[] { 0x1f, (byte) 0x8b, 8 });

		LocalProfileStore recovered = new LocalProfileStore(
				LocalProfileStore.Settings.of(interrupted).withClock(this.clock), this.events);
		assertThat(halfWritten).doesNotExist();
		assertThat(recovered.list()).hasSize(12).allSatisfy((stored) -> assertThat(stored.resolution())
			.isEqualTo(Resolution.FIVE_MINUTES));
		assertMergeEquals(recovered, merged(windows));
		assertThat(recovered.sizeBytes()).isEqualTo(directorySize(interrupted));
	}

	@Test
	void mergesWhileCompactingCountEveryWindowOnce() throws Exception {
		LocalProfileStore store = new LocalProfileStore(noCompaction(), this.events);
		List<ProfileWindow> windows = windows(ProfileType.CPU, T0, 360);
		windows.forEach(store::accept);
		store.close();
		Profile all = merged(windows);
		this.clock.set(T0.plus(Duration.ofDays(2)));
		LocalProfileStore compacting = new LocalProfileStore(settings(), this.events);
		List<Long> counts = new CopyOnWriteArrayList<>();
		AtomicBoolean done = new AtomicBoolean();
		Thread merging = new Thread(() -> {
			while (!done.get() || counts.isEmpty()) {
				counts.add(count(compacting
					.merge(ProfileType.CPU, T0, T0.plus(Duration.ofHours(1)), (labels) -> true)
					.profile()));
			}
		}, "merging");
		merging.start();
		compacting.compact();
		done.set(true);
		merging.join(30_000);
		assertThat(compacting.list()).extracting(StoredProfile::resolution).containsOnly(Resolution.HOUR);
		assertThat(counts).isNotEmpty().containsOnly(count(all));
	}

	@Test
	void lateWindowThatAMergedFileCoversIsDropped() {
		LocalProfileStore store = new LocalProfileStore(settings(), this.events);
		List<ProfileWindow> windows = windows(ProfileType.CPU, T0, 60);
		windows.forEach(store::accept);
		this.clock.set(T0.plus(Duration.ofHours(2)));
		store.compact();
		store.accept(windows.get(3));
		assertThat(this.events.dropped("late")).isEqualTo(1);
		assertMergeEquals(store, merged(windows));
	}

	@Test
	void rangeMergeKeepsTheFocusedLabelsAndSaysWhatItCovers() throws Exception {
		LocalProfileStore store = new LocalProfileStore(noCompaction(), this.events);
		List<ProfileWindow> windows = windows(ProfileType.CPU, T0, 60);
		windows.forEach(store::accept);
		// from 00:01:05 to 00:02:05: windows 00:01:00 to 00:02:10
		Instant from = T0.plusSeconds(65);
		Instant to = T0.plusSeconds(125);
		StoredRange range = store.merge(ProfileType.CPU, from, to, (labels) -> "acme".equals(labels.get("tenant")));
		assertThat(range.coveredFrom()).isEqualTo(T0.plusSeconds(60));
		assertThat(range.coveredUntil()).isEqualTo(T0.plusSeconds(130));
		assertThat(range.files()).isEqualTo(7);
		List<ProfileWindow> covered = windows.subList(6, 13);
		Map<List<Object>, List<Long>> expected = sums(merged(covered));
		expected.keySet().removeIf((key) -> !"acme".equals(((LabelSet) key.get(1)).get("tenant")));
		assertThat(expected).isNotEmpty();
		assertThat(sums(range.profile())).isEqualTo(expected);
		assertThat(range.profile().start()).isEqualTo(range.coveredFrom());
		assertThat(range.profile().duration()).isEqualTo(Duration.ofSeconds(70));
		store.close();

		this.clock.set(T0.plus(Duration.ofHours(2)));
		LocalProfileStore compacting = new LocalProfileStore(settings(), this.events);
		compacting.compact();
		StoredRange widened = compacting.merge(ProfileType.CPU, from, to, (labels) -> true);
		assertThat(widened.coveredFrom()).isEqualTo(T0);
		assertThat(widened.coveredUntil()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
		assertThat(widened.files()).isEqualTo(1);
		assertThat(sums(widened.profile())).isEqualTo(sums(merged(windows.subList(0, 30))));

		StoredRange none = compacting.merge(ProfileType.LOCK, from, to, (labels) -> true);
		assertThat(none.files()).isZero();
		assertThat(none.profile().samples()).isEmpty();
		assertThat(none.coveredFrom()).isEqualTo(from).isEqualTo(none.coveredUntil());
	}

	@Test
	void goToolPprofReadsAMergedProfileAndItsTenants() throws Exception {
		dev.diagkit.profiling.GoPprof pprof = dev.diagkit.profiling.GoPprof.locate();
		LocalProfileStore store = new LocalProfileStore(settings(), this.events);
		windows(ProfileType.CPU, T0, 60).forEach(store::accept);
		this.clock.set(T0.plus(Duration.ofHours(2)));
		store.compact();
		StoredRange range = store.merge(ProfileType.CPU, T0, T0.plus(Duration.ofHours(1)), (labels) -> true);
		Path file = Files.createDirectory(this.dir.resolve("out")).resolve("merged.pb.gz");
		Files.write(file, new PprofWriter().write(range.profile()));
		String tags = pprof.run(file, "-tags");
		assertThat(tags).contains(" tenant: Total ", ": acme", ": globex", ": initech", " endpoint: Total ");
		assertThat(pprof.run(file, "-top", "-tagfocus=tenant=acme")).contains("com.acme.generated.Service");
	}

	@Test
	void rangeIsChecked() {
		LocalProfileStore store = new LocalProfileStore(settings(), this.events);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> store.merge(ProfileType.CPU, T0, T0.plus(Duration.ofDays(8)), (labels) -> true))
			.withMessage("The range from 2025-03-03T00:00:00Z to 2025-03-11T00:00:00Z spans PT192H; a merge covers "
					+ "at most 7 days");
		assertThatIllegalArgumentException().isThrownBy(() -> store.merge(ProfileType.CPU, T0, T0, (labels) -> true))
			.withMessage("The range must end after it starts, but it is from 2025-03-03T00:00:00Z to "
					+ "2025-03-03T00:00:00Z");
	}

	@Test
	void mergePastItsDeadlineSaysTheRangeWasTooLarge() {
		LocalProfileStore store = new LocalProfileStore(noCompaction(), this.events);
		windows(ProfileType.CPU, T0, 30).forEach(store::accept);
		assertThatExceptionOfType(RangeTooLargeException.class)
			.isThrownBy(() -> store.merge(ProfileType.CPU, T0, T0.plus(Duration.ofHours(1)), (labels) -> true,
					Duration.ZERO))
			.withMessage("Merging the cpu profiles from 2025-03-03T00:00:00Z to 2025-03-03T01:00:00Z did not finish "
					+ "within 0 s (0 of 30 files merged); the range is too large, ask for a shorter one");
	}

	@Test
	void unreadableFileIsSkippedAndNoted() throws IOException {
		LocalProfileStore store = new LocalProfileStore(noCompaction(), this.events);
		List<ProfileWindow> windows = windows(ProfileType.CPU, T0, 3);
		windows.forEach(store::accept);
		store.close();
		Path broken = this.dir.resolve("cpu/1740960030000-1740960040000-raw-1.pb.gz");
		Files.write(broken, new byte[] { 1, 2, 3 });
		LocalProfileStore reopened = new LocalProfileStore(noCompaction(), this.events);
		StoredRange range = reopened.merge(ProfileType.CPU, T0, T0.plusSeconds(40), (labels) -> true);
		assertThat(range.files()).isEqualTo(4);
		assertThat(sums(range.profile())).isEqualTo(sums(merged(windows)));
		assertThat(range.profile().notes()).anySatisfy((note) -> assertThat(note)
			.startsWith("Skipped 1740960030000-1740960040000-raw-1.pb.gz (all of it, or what follows an error), "
					+ "which could not be read: "));
	}

	@Test
	void settingsAreChecked() {
		LocalProfileStore.Settings settings = LocalProfileStore.Settings.of(this.dir);
		assertThat(settings.retention()).isEqualTo(Duration.ofDays(7));
		assertThat(settings.maxBytes()).isEqualTo(256L * 1024 * 1024);
		assertThat(settings.rawFor()).isEqualTo(Duration.ofHours(1));
		assertThat(settings.fiveMinuteFor()).isEqualTo(Duration.ofDays(1));
		assertThatIllegalArgumentException().isThrownBy(() -> settings.withMaxBytes(0))
			.withMessage("maxBytes must be positive, was 0");
		assertThatIllegalArgumentException().isThrownBy(() -> settings.withRetention(Duration.ZERO))
			.withMessage("retention must be positive, was PT0S");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> settings.withCompaction(Duration.ofHours(2), Duration.ofHours(1)))
			.withMessage("fiveMinuteFor (PT1H) must not be shorter than rawFor (PT2H): windows are merged into "
					+ "five-minute files before those are merged into hourly ones");
	}

	/** {@code count} consecutive 10 s windows from {@code start}. */
	static List<ProfileWindow> windows(ProfileType type, Instant start, int count) {
		List<ProfileWindow> windows = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			windows.add(window(type, start.plus(TEN_SECONDS.multipliedBy(i)), TEN_SECONDS, 100, 80, i));
		}
		return windows;
	}

	static Profile merged(List<ProfileWindow> windows) {
		Profile.Builder builder = Profile.builder(windows.get(0).type(), windows.get(0).from(), 10_000_000);
		for (ProfileWindow window : windows) {
			for (Profile.Sample sample : window.profile().samples()) {
				builder.add(sample.stack(), sample.labels(), sample.values());
			}
		}
		return builder.build(Duration.between(windows.get(0).from(), windows.get(windows.size() - 1).until()));
	}

	private static void assertMergeEquals(LocalProfileStore store, Profile expected) {
		StoredRange range = store.merge(expected.type(), expected.start(), expected.start().plus(expected.duration()),
				(labels) -> true);
		assertThat(count(range.profile())).isEqualTo(count(expected));
		assertThat(sums(range.profile())).isEqualTo(sums(expected));
	}

	private static String fileName(StoredProfile stored) {
		return String.format("%013d-%013d-%s-%d.pb.gz", stored.from().toEpochMilli(), stored.until().toEpochMilli(),
				stored.resolution().id(), stored.samples());
	}

	private static void copyTree(Path from, Path to) throws IOException {
		try (Stream<Path> paths = Files.walk(from)) {
			for (Path path : paths.toList()) {
				Path target = to.resolve(from.relativize(path).toString());
				if (Files.isDirectory(path)) {
					Files.createDirectories(target);
				}
				else {
					Files.copy(path, target);
				}
			}
		}
	}

}
