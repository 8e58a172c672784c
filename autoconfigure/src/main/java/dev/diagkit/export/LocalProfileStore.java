package dev.diagkit.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

import dev.diagkit.export.StoredProfile.Resolution;
import dev.diagkit.labels.LabelSet;
import dev.diagkit.profiling.PprofReader;
import dev.diagkit.profiling.PprofWriter;
import dev.diagkit.profiling.Profile;
import dev.diagkit.profiling.ProfileType;
import dev.diagkit.propagation.SpanLabels;
import dev.diagkit.runtime.DirectoryLock;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Keeps continuous profiling's windows on local disk, bounded in age and size, coarser as
 * they age, and answers range queries: the embedded default for one machine, where a fleet
 * would use Pyroscope.
 * <h2>Files</h2>
 * Each window's gzip'd pprof is a file {@code <directory>/<type>/<from>-<until>-raw-<samples>.pb.gz}
 * (epoch milliseconds, padded to 13 digits so names sort by time; see {@link StoreFile}).
 * A file is written under a temporary name ({@code .tmp} appended) and moved to its name
 * when complete, so a half-written file is never read; temporary files left by a crash are
 * deleted when the store opens. One store uses a directory at a time: it holds a lock on
 * {@value #LOCK_FILE} there from opening to {@link #close()}, and a second one, in this
 * process or another, fails to open with a {@link DirectoryLock.DirectoryInUseException}.
 * <h2>Bounds</h2>
 * Before a file is written, the oldest files (of any type) are deleted until it fits under
 * {@link Settings#maxBytes()}, counting the file being written, so the directory never
 * holds more; a window larger than the cap is dropped. Files that ended more than
 * {@link Settings#retention()} ago are deleted. Both are reported as
 * {@link ExportEvents#dropped(String, long) dropped} files, {@code store-full} and
 * {@code retention}. A window that a merged file already covers (it came late) is dropped
 * as {@code late}, and one that cannot be written as {@code store-error}.
 * <h2>Compaction</h2>
 * Windows older than {@link Settings#rawFor()} are merged into one file per five minutes of
 * the epoch's grid (a window belongs to the five minutes its start falls in), and
 * five-minute files older than {@link Settings#fiveMinuteFor()} into one per hour: samples
 * with the same stack and labels are summed, at most {@value #MAX_STACKS} distinct ones kept
 * (the coldest beyond are folded into a {@code [truncated]} frame, keeping totals). A merged
 * file spans its sources exactly, from the first one's start to the last one's end, and is
 * written (and synced) before its sources are deleted; a file wholly inside a coarser file of
 * its type is therefore a source whose deletion a crash prevented, and it is deleted when
 * the store opens and ignored by queries: nothing is counted twice or lost. Compaction runs
 * from {@link #accept} at most once a minute for at most a second (a backlog is worked off
 * over the following minutes), and on demand with {@link #compact()}.
 * <h2>Queries</h2>
 * {@link #list()} lists the files from their names; {@link #merge} merges every file of a
 * type that overlaps a range, whole, into one profile, focused on labels. A range covers at
 * most {@link #MAX_RANGE}, and a merge that has not finished after {@link #MERGE_DEADLINE}
 * stops with a {@link RangeTooLargeException}.
 * <p>
 * Thread-safe: windows arrive on the profiler's thread, queries on any thread. Writing a
 * window happens on the caller's thread (local disk is fast); so does compaction.
 */
public class LocalProfileStore implements ProfileSink {

	/** The longest range {@link #merge} covers: 7 days. */
	public static final Duration MAX_RANGE = Duration.ofDays(7);

	/** How long {@link #merge} may take before it gives up: 10 s. */
	public static final Duration MERGE_DEADLINE = Duration.ofSeconds(10);

	/**
	 * The most distinct (stack, labels) pairs a merge keeps, so that merging a week stays
	 * within 64 MB of heap.
	 */
	public static final int MAX_STACKS = 16_000;

	/**
	 * Labels that name one request (a trace, its local root span): raw windows keep them, so
	 * that a recent span's CPU can be found; compaction leaves them out, or every request's
	 * samples would stay apart and fill the merged file's stacks.
	 */
	static final Set<String> PER_REQUEST_KEYS = Set.of(SpanLabels.SPAN_ID, SpanLabels.TRACE_ID);

	/** The size budget of a merged file: generous, the stack cap bounds it first. */
	static final long MERGED_MAX_BYTES = 64L * 1024 * 1024;

	/** The lock file that keeps a second store (a second instance of the service) out. */
	static final String LOCK_FILE = "store.lock";

	private static final Duration COMPACTION_INTERVAL = Duration.ofMinutes(1);

	private static final long COMPACTION_BUDGET_NANOS = TimeUnit.SECONDS.toNanos(1);

	private static final long NO_DEADLINE = Long.MAX_VALUE;

	private static final Log logger = LogFactory.getLog(LocalProfileStore.class);

	private final Settings settings;

	private final ExportEvents events;

	private final PprofReader reader = new PprofReader();

	private final PprofWriter writer = new PprofWriter();

	private final ReentrantLock lock = new ReentrantLock();

	/** The files, oldest first. Guarded by {@link #lock}. */
	private final TreeSet<StoreFile> files = new TreeSet<>(StoreFile.OLDEST_FIRST);

	private volatile long sizeBytes;

	/** Guarded by {@link #lock}. */
	private Instant lastCompaction = Instant.MIN;

	private volatile boolean closed;

	/** Held from opening to {@link #close()}. */
	private @Nullable DirectoryLock directoryLock;

	/**
	 * Opens the store on its directory, creating it if needed: lists the files, deletes
	 * temporary files and the sources of interrupted compactions.
	 * @param settings the directory and bounds
	 * @param events receives drops
	 * @throws UncheckedIOException if the directory cannot be created or listed
	 * @throws DirectoryLock.DirectoryInUseException if another store uses the directory
	 */
	public LocalProfileStore(Settings settings, ExportEvents events) {
		this.settings = Objects.requireNonNull(settings, "settings must not be null");
		this.events = Objects.requireNonNull(events, "events must not be null");
		try {
			open();
		}
		catch (IOException ex) {
			releaseDirectory();
			throw new UncheckedIOException("Opening the profile store in " + settings.directory() + " failed", ex);
		}
		catch (RuntimeException ex) {
			releaseDirectory();
			throw ex;
		}
		logger.info("Keeping profiles in " + settings.directory().toAbsolutePath() + " for " + settings.retention()
				+ ", at most " + (settings.maxBytes() / (1024 * 1024)) + " MB; " + this.files.size()
				+ " files there already");
	}

	private void open() throws IOException {
		// before anything is deleted: the temporary files of a store that runs are its writes
		this.directoryLock = DirectoryLock.acquire(this.settings.directory(), LOCK_FILE, "Profile store");
		for (ProfileType type : ProfileType.values()) {
			Path directory = this.settings.directory().resolve(type.id());
			Files.createDirectories(directory);
			try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
				for (Path path : entries) {
					if (!Files.isRegularFile(path)) {
						continue;
					}
					if (path.getFileName().toString().endsWith(StoreFile.TEMP_SUFFIX)) {
						Files.deleteIfExists(path);
						continue;
					}
					StoreFile file = StoreFile.parse(type, path, Files.size(path));
					if (file != null) {
						this.files.add(file);
					}
					else if (logger.isDebugEnabled()) {
						logger.debug("Ignoring " + path + ": not a profile store file");
					}
				}
			}
		}
		for (StoreFile file : superseded(this.files)) {
			logger.debug("Deleting " + file.path() + ", left over from an interrupted compaction");
			this.files.remove(file);
			Files.deleteIfExists(file.path());
		}
		this.sizeBytes = this.files.stream().mapToLong(StoreFile::bytes).sum();
	}

	@Override
	public String name() {
		return "store";
	}

	/**
	 * Returns the directory the store keeps its files in (one subdirectory per profile type).
	 * @return the directory
	 */
	public Path directory() {
		return this.settings.directory();
	}

	/**
	 * Writes the window's pprof to a file, after deleting expired files and, if needed, the
	 * oldest ones to keep within the size cap; then compacts if a minute has passed since
	 * the last compaction.
	 * @param window the window
	 */
	@Override
	public void accept(ProfileWindow window) {
		if (this.closed) {
			return;
		}
		Instant now = this.settings.clock().instant();
		boolean compactionDue;
		this.lock.lock();
		try {
			deleteExpired(now);
			store(window, now);
			compactionDue = !now.isBefore(this.lastCompaction.plus(COMPACTION_INTERVAL));
			if (compactionDue) {
				this.lastCompaction = now;
			}
		}
		finally {
			this.lock.unlock();
		}
		if (compactionDue) {
			compact(now, System.nanoTime() + COMPACTION_BUDGET_NANOS);
		}
	}

	private void store(ProfileWindow window, Instant now) {
		String what = window.type().id() + " window " + window.from() + " to " + window.until();
		if (!window.until().isAfter(now.minus(this.settings.retention()))) {
			this.events.dropped("retention", 1);
			return;
		}
		if (window.from().isBefore(Instant.EPOCH)) {
			logger.warn("Dropping the " + what + ": the store keeps windows after 1970 only");
			this.events.dropped("store-error", 1);
			return;
		}
		StoreFile file = StoreFile.of(this.settings.directory(), window.type(), Resolution.RAW, window.from(),
				window.until(), window.sampleCount(), window.pprof().length);
		for (StoreFile stored : this.files) {
			if (stored.resolution() != Resolution.RAW && file.supersededBy(stored)) {
				logger.debug("Dropping the " + what + ": it came after its time was compacted");
				this.events.dropped("late", 1);
				return;
			}
		}
		try {
			if (!makeRoom(file.bytes())) {
				logger.warn("Dropping the " + what + ": its " + file.bytes() + " bytes exceed the store's cap of "
						+ this.settings.maxBytes() + " bytes");
				this.events.dropped("store-full", 1);
				return;
			}
			write(file, window.pprof(), false);
		}
		catch (IOException ex) {
			logger.warn("Dropping the " + what + ": writing " + file.path() + " failed", ex);
			this.events.dropped("store-error", 1);
		}
	}

	/**
	 * Returns how many bytes the store's files take.
	 * @return the total size
	 */
	public long sizeBytes() {
		return this.sizeBytes;
	}

	/**
	 * Lists the stored profiles, oldest first.
	 * @return the stored profiles
	 */
	public List<StoredProfile> list() {
		this.lock.lock();
		try {
			return this.files.stream().map(StoreFile::profile).toList();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Deletes expired files and merges every file due for compaction now, however long it
	 * takes. Queries and windows wait for at most one merged file at a time.
	 */
	public void compact() {
		Instant now = this.settings.clock().instant();
		this.lock.lock();
		try {
			deleteExpired(now);
		}
		finally {
			this.lock.unlock();
		}
		compact(now, NO_DEADLINE);
	}

	/**
	 * Merges the stored profiles of a type that overlap {@code [from, to)} into one, keeping
	 * the samples whose labels {@code focus} accepts. Stored profiles are merged whole: the
	 * time covered is widened to their boundaries and returned with the profile. At most
	 * {@value #MAX_STACKS} distinct (stack, labels) pairs are kept; the coldest beyond are
	 * folded into a {@code [truncated]} frame, and a note says so. A file that cannot be read
	 * is skipped, and a note says so.
	 * @param type the kind of profile
	 * @param from the start of the range, inclusive
	 * @param to the end of the range, exclusive
	 * @param focus which samples to keep, by their labels
	 * @return the merged profile and the time it covers
	 * @throws IllegalArgumentException if {@code to} is not after {@code from}, or the range
	 * is longer than {@link #MAX_RANGE}
	 * @throws RangeTooLargeException if the merge does not finish within
	 * {@link #MERGE_DEADLINE}
	 * @throws UncheckedIOException if a stored profile cannot be found although it was
	 * neither deleted nor compacted
	 */
	public StoredRange merge(ProfileType type, Instant from, Instant to, Predicate<LabelSet> focus) {
		return merge(type, from, to, focus, MERGE_DEADLINE);
	}

	StoredRange merge(ProfileType type, Instant from, Instant to, Predicate<LabelSet> focus, Duration timeout) {
		Objects.requireNonNull(type, "type must not be null");
		Objects.requireNonNull(focus, "focus must not be null");
		if (!to.isAfter(from)) {
			throw new IllegalArgumentException("The range must end after it starts, but it is from " + from + " to " + to);
		}
		if (Duration.between(from, to).compareTo(MAX_RANGE) > 0) {
			throw new IllegalArgumentException("The range from " + from + " to " + to + " spans "
					+ Duration.between(from, to) + "; a merge covers at most " + MAX_RANGE.toDays() + " days");
		}
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			List<StoreFile> overlapping = overlapping(type, from, to);
			try {
				return merge(type, overlapping, from, to, focus, timeout, deadline);
			}
			catch (NoSuchFileException ex) {
				// a compaction replaced a file (or the bounds deleted one) since the listing:
				// merging afresh counts nothing twice
				logger.debug("A stored profile went away during a merge; merging again", ex);
				if (!forgetMissing(overlapping)) {
					throw new UncheckedIOException("Reading a stored profile failed", ex);
				}
			}
		}
	}

	/**
	 * Forgets the files that were deleted behind the store's back, so that a query does not
	 * look for them again.
	 * @return whether one of the files is gone: deleted by the store, or forgotten now
	 */
	private boolean forgetMissing(List<StoreFile> files) {
		this.lock.lock();
		try {
			boolean missing = false;
			for (StoreFile file : files) {
				if (!this.files.contains(file)) {
					missing = true;
				}
				else if (!Files.exists(file.path())) {
					logger.warn(file.path() + " was deleted by something else than the store");
					forget(file);
					missing = true;
				}
			}
			return missing;
		}
		finally {
			this.lock.unlock();
		}
	}

	private List<StoreFile> overlapping(ProfileType type, Instant from, Instant to) {
		this.lock.lock();
		try {
			List<StoreFile> overlapping = new ArrayList<>();
			for (StoreFile file : this.files) {
				if (file.type() == type && file.overlaps(from, to)) {
					overlapping.add(file);
				}
			}
			overlapping.removeAll(superseded(overlapping));
			return overlapping;
		}
		finally {
			this.lock.unlock();
		}
	}

	private StoredRange merge(ProfileType type, List<StoreFile> sources, Instant from, Instant to,
			Predicate<LabelSet> focus, Duration timeout, long deadline) throws NoSuchFileException {
		if (sources.isEmpty()) {
			return new StoredRange(Profile.builder(type, from, 0).build(Duration.ZERO), from, from, 0);
		}
		Instant coveredFrom = sources.stream().map(StoreFile::from).min(Instant::compareTo).orElseThrow();
		Instant coveredUntil = sources.stream().map(StoreFile::until).max(Instant::compareTo).orElseThrow();
		ProfileMerge merge = new ProfileMerge(type, coveredFrom, MAX_STACKS);
		int read = 0;
		for (StoreFile source : sources) {
			if (pastDeadline(deadline)) {
				throw new RangeTooLargeException("Merging the " + type.id() + " profiles from " + from + " to " + to
						+ " did not finish within " + describe(timeout) + " (" + read + " of "
						+ sources.size() + " files merged); the range is too large, ask for a shorter one");
			}
			addTo(merge, source, focus);
			read++;
		}
		Profile profile = merge.build(Duration.between(coveredFrom, coveredUntil));
		return new StoredRange(profile, coveredFrom, coveredUntil, sources.size());
	}

	private void addTo(ProfileMerge merge, StoreFile source, Predicate<LabelSet> focus) throws NoSuchFileException {
		try {
			merge.add(this.reader, source.path(), focus);
		}
		catch (NoSuchFileException ex) {
			throw ex;
		}
		catch (IOException ex) {
			logger.warn("Skipping a stored profile that cannot be read", ex);
			merge.note("Skipped " + source.path().getFileName() + " (all of it, or what follows an error), which "
					+ "could not be read: " + ex.getMessage());
		}
	}

	@Override
	public void close() {
		this.closed = true;
		releaseDirectory();
	}

	private void releaseDirectory() {
		this.lock.lock();
		try {
			DirectoryLock held = this.directoryLock;
			this.directoryLock = null;
			if (held != null) {
				held.close();
			}
		}
		catch (IOException ex) {
			logger.debug("Releasing the profile store's directory failed", ex);
		}
		finally {
			this.lock.unlock();
		}
	}

	private void deleteExpired(Instant now) {
		Instant cutoff = now.minus(this.settings.retention());
		List<StoreFile> expired = new ArrayList<>();
		for (StoreFile file : this.files) {
			if (!file.from().isBefore(cutoff)) {
				break;
			}
			if (!file.until().isAfter(cutoff)) {
				expired.add(file);
			}
		}
		int deleted = 0;
		for (StoreFile file : expired) {
			if (delete(file)) {
				deleted++;
			}
		}
		if (deleted > 0) {
			this.events.dropped("retention", deleted);
		}
	}

	/**
	 * Deletes the oldest files until {@code bytes} more fit under the cap.
	 * @return whether they fit
	 */
	private boolean makeRoom(long bytes) {
		if (bytes > this.settings.maxBytes()) {
			return false;
		}
		int deleted = 0;
		while (this.sizeBytes + bytes > this.settings.maxBytes() && !this.files.isEmpty()) {
			if (!delete(this.files.first())) {
				break;
			}
			deleted++;
		}
		if (deleted > 0) {
			this.events.dropped("store-full", deleted);
		}
		return this.sizeBytes + bytes <= this.settings.maxBytes();
	}

	private boolean delete(StoreFile file) {
		try {
			Files.deleteIfExists(file.path());
		}
		catch (IOException ex) {
			logger.warn("Deleting " + file.path() + " failed", ex);
			return false;
		}
		forget(file);
		return true;
	}

	private void forget(StoreFile file) {
		if (this.files.remove(file)) {
			this.sizeBytes -= file.bytes();
		}
	}

	/**
	 * Writes a file under its temporary name and moves it to its name; the caller made room.
	 */
	private void write(StoreFile file, byte[] bytes, boolean sync) throws IOException {
		Path temp = file.tempPath();
		try {
			try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE,
					StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
				ByteBuffer buffer = ByteBuffer.wrap(bytes);
				while (buffer.hasRemaining()) {
					channel.write(buffer);
				}
				if (sync) {
					channel.force(true);
				}
			}
			Files.move(temp, file.path(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		}
		catch (IOException ex) {
			Files.deleteIfExists(temp);
			throw ex;
		}
		StoreFile replaced = this.files.ceiling(file);
		if (replaced != null && replaced.path().equals(file.path())) {
			forget(replaced);
		}
		this.files.add(file);
		this.sizeBytes += file.bytes();
	}

	/**
	 * Merges raw windows older than {@code rawFor} into five-minute files, then five-minute
	 * files older than {@code fiveMinuteFor} into hourly files, one bucket at a time (each
	 * under the lock), until done or past {@code deadline}.
	 */
	private void compact(Instant now, long deadline) {
		compact(Resolution.FIVE_MINUTES, now.minus(this.settings.rawFor()), deadline);
		compact(Resolution.HOUR, now.minus(this.settings.fiveMinuteFor()), deadline);
	}

	private void compact(Resolution target, Instant cutoff, long deadline) {
		for (List<StoreFile> sources : buckets(target, cutoff)) {
			if (pastDeadline(deadline) || this.closed) {
				return;
			}
			this.lock.lock();
			try {
				// the bounds may have deleted some since the buckets were listed
				sources.removeIf((file) -> !this.files.contains(file));
				if (sources.stream().anyMatch((file) -> file.resolution().compareTo(target) < 0)) {
					compact(target, sources);
				}
			}
			finally {
				this.lock.unlock();
			}
		}
	}

	/**
	 * Returns the files of each bucket of {@code target}'s grid that ended before
	 * {@code cutoff}, by type, oldest bucket first: the finer files of the bucket, and the
	 * file of {@code target}'s resolution if one was already made.
	 */
	private List<List<StoreFile>> buckets(Resolution target, Instant cutoff) {
		long bucketMillis = target.bucket().toMillis();
		Map<BucketKey, List<StoreFile>> buckets = new LinkedHashMap<>();
		this.lock.lock();
		try {
			for (StoreFile file : this.files) {
				if (file.resolution().compareTo(target) > 0) {
					continue;
				}
				long bucket = Math.floorDiv(file.from().toEpochMilli(), bucketMillis) * bucketMillis;
				if (Instant.ofEpochMilli(bucket + bucketMillis).isAfter(cutoff)) {
					// files are oldest first: later ones are in this bucket or later
					break;
				}
				buckets.computeIfAbsent(new BucketKey(file.type(), bucket), (key) -> new ArrayList<>()).add(file);
			}
		}
		finally {
			this.lock.unlock();
		}
		return new ArrayList<>(buckets.values());
	}

	private static boolean pastDeadline(long deadline) {
		return deadline != NO_DEADLINE && System.nanoTime() - deadline >= 0;
	}

	private static String describe(Duration timeout) {
		return (timeout.toMillis() % 1000 == 0) ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
	}

	/**
	 * Merges the sources into one file of the target resolution, written before the sources
	 * are deleted. If the store is full, the oldest files are deleted to make room, as for a
	 * window; when that deletes sources, the rest are merged again without them.
	 */
	private void compact(Resolution target, List<StoreFile> sources) {
		List<StoreFile> remaining = new ArrayList<>(sources);
		while (true) {
			remaining.removeIf((file) -> !this.files.contains(file));
			if (remaining.stream().noneMatch((file) -> file.resolution().compareTo(target) < 0)) {
				return;
			}
			StoreFile first = remaining.get(0);
			Instant from = remaining.stream().map(StoreFile::from).min(Instant::compareTo).orElseThrow();
			Instant until = remaining.stream().map(StoreFile::until).max(Instant::compareTo).orElseThrow();
			ProfileMerge merge = new ProfileMerge(first.type(), from, MAX_STACKS, PER_REQUEST_KEYS);
			try {
				for (StoreFile source : remaining) {
					addTo(merge, source, (labels) -> true);
				}
			}
			catch (NoSuchFileException ex) {
				if (!forgetMissing(remaining)) {
					logger.warn("Compacting " + remaining.size() + " files failed", ex);
					return;
				}
				continue;
			}
			Profile profile = merge.build(Duration.between(from, until));
			byte[] bytes = this.writer.write(profile, MERGED_MAX_BYTES);
			long samples = 0;
			for (Profile.Sample sample : profile.samples()) {
				samples += sample.value(0);
			}
			StoreFile merged = StoreFile.of(this.settings.directory(), first.type(), target, from, until, samples,
					bytes.length);
			if (!makeRoom(bytes.length)) {
				logger.debug("Not compacting " + remaining.size() + " files into " + merged.path()
						+ ": the merged file does not fit the store's cap");
				return;
			}
			if (remaining.stream().anyMatch((file) -> !this.files.contains(file))) {
				continue;
			}
			try {
				write(merged, bytes, true);
			}
			catch (IOException ex) {
				logger.warn("Compacting into " + merged.path() + " failed; its sources stay", ex);
				return;
			}
			for (StoreFile source : remaining) {
				if (!source.path().equals(merged.path())) {
					delete(source);
				}
			}
			return;
		}
	}

	/**
	 * Returns the files of {@code files} that another one supersedes.
	 */
	private static List<StoreFile> superseded(Collection<StoreFile> files) {
		List<StoreFile> merged = files.stream().filter((file) -> file.resolution() != Resolution.RAW).toList();
		List<StoreFile> superseded = new ArrayList<>();
		for (StoreFile file : files) {
			for (StoreFile other : merged) {
				if (file.supersededBy(other)) {
					superseded.add(file);
					break;
				}
			}
		}
		return superseded;
	}

	private record BucketKey(ProfileType type, long startMillis) {
	}

	/**
	 * Where the store keeps its files and how much.
	 *
	 * @param directory the directory, created if missing
	 * @param retention how long a profile is kept after its end
	 * @param maxBytes the most bytes the files may take together
	 * @param rawFor how long windows are kept as they came before they are merged into
	 * five-minute files
	 * @param fiveMinuteFor how long five-minute files are kept before they are merged into
	 * hourly files
	 * @param clock the clock that says how old files are
	 */
	public record Settings(Path directory, Duration retention, long maxBytes, Duration rawFor, Duration fiveMinuteFor,
			Clock clock) {

		/** The default retention: 7 days. */
		public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);

		/** The default size cap: 256 MB. */
		public static final long DEFAULT_MAX_BYTES = 256L * 1024 * 1024;

		/** How long windows are kept raw by default: 1 hour. */
		public static final Duration DEFAULT_RAW_FOR = Duration.ofHours(1);

		/** How long five-minute files are kept by default: 1 day. */
		public static final Duration DEFAULT_FIVE_MINUTE_FOR = Duration.ofDays(1);

		/**
		 * Checks the settings.
		 */
		public Settings {
			Objects.requireNonNull(directory, "directory must not be null");
			Objects.requireNonNull(clock, "clock must not be null");
			if (retention.isNegative() || retention.isZero()) {
				throw new IllegalArgumentException("retention must be positive, was " + retention);
			}
			if (maxBytes <= 0) {
				throw new IllegalArgumentException("maxBytes must be positive, was " + maxBytes);
			}
			if (rawFor.isNegative()) {
				throw new IllegalArgumentException("rawFor must not be negative, was " + rawFor);
			}
			if (fiveMinuteFor.compareTo(rawFor) < 0) {
				throw new IllegalArgumentException("fiveMinuteFor (" + fiveMinuteFor
						+ ") must not be shorter than rawFor (" + rawFor + "): windows are merged into five-minute "
						+ "files before those are merged into hourly ones");
			}
		}

		/**
		 * Returns the default settings for a directory: 7 days, 256 MB, raw windows for an
		 * hour, five-minute files for a day, the system clock.
		 * @param directory the directory
		 * @return the settings
		 */
		public static Settings of(Path directory) {
			return new Settings(directory, DEFAULT_RETENTION, DEFAULT_MAX_BYTES, DEFAULT_RAW_FOR,
					DEFAULT_FIVE_MINUTE_FOR, Clock.systemUTC());
		}

		/**
		 * Returns these settings with another retention.
		 * @param retention how long a profile is kept after its end
		 * @return the settings
		 */
		public Settings withRetention(Duration retention) {
			return new Settings(this.directory, retention, this.maxBytes, this.rawFor, this.fiveMinuteFor, this.clock);
		}

		/**
		 * Returns these settings with another size cap.
		 * @param maxBytes the most bytes the files may take together
		 * @return the settings
		 */
		public Settings withMaxBytes(long maxBytes) {
			return new Settings(this.directory, this.retention, maxBytes, this.rawFor, this.fiveMinuteFor, this.clock);
		}

		/**
		 * Returns these settings with other compaction ages.
		 * @param rawFor how long windows are kept raw
		 * @param fiveMinuteFor how long five-minute files are kept
		 * @return the settings
		 */
		public Settings withCompaction(Duration rawFor, Duration fiveMinuteFor) {
			return new Settings(this.directory, this.retention, this.maxBytes, rawFor, fiveMinuteFor, this.clock);
		}

		/**
		 * Returns these settings with another clock.
		 * @param clock the clock
		 * @return the settings
		 */
		public Settings withClock(Clock clock) {
			return new Settings(this.directory, this.retention, this.maxBytes, this.rawFor, this.fiveMinuteFor, clock);
		}

	}

}
