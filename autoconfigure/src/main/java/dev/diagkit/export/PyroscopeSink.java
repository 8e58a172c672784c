package dev.diagkit.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import dev.diagkit.export.PyroscopeIngest.Outcome;
import dev.diagkit.export.PyroscopeIngest.Result;
import dev.diagkit.labels.LabelScope;
import dev.diagkit.labels.LabelSet;
import dev.diagkit.labels.spi.LabelScopes;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Ships windows to Grafana Pyroscope's ingest API ({@code POST /ingest}, pprof format), one
 * request per window, oldest first, on a daemon thread of its own
 * ({@value #THREAD_NAME}).
 * <p>
 * {@link #accept} never waits for the network and holds memory and disk within bounds:
 * while the spool is empty, up to {@link Settings#queueCapacity()} windows wait in memory;
 * every other window is written to the spool directory, whose size never exceeds
 * {@link Settings#spoolMaxBytes()}: to make room, the spool's oldest windows are deleted
 * and reported as dropped ({@code spool-full}). The sender retries the oldest window after
 * a 429, a 5xx, an I/O error or a timeout, with jittered exponential backoff, and never
 * skips it, so windows arrive in order; any other status refuses the window for good: it is
 * logged and reported as {@code rejected}, and the next one follows. A window's spool file is
 * deleted only after Pyroscope accepted it, and a new sink on the same directory (the next
 * run of the application) delivers what an earlier one left, before its own windows.
 * <p>
 * Within a process a window is delivered at most once, with one exception on the
 * backend's side: a request that timed out may still have been stored, and is sent again.
 * Across processes, a crash (or a {@link #close} that cuts a request short) between
 * Pyroscope's answer and the deletion of the window's spool file sends that window again
 * on the next run; a crash loses the windows held in memory, an orderly shutdown
 * ({@link #flush}, {@link #close}) does not.
 * <p>
 * {@link #flush} waits for the windows pending to be delivered and writes those still in
 * memory to the spool; {@link #close} stops the sender, does the same and releases the
 * spool directory. Each attempt is reported through {@link ExportEvents#upload} with the
 * result {@code success}, {@code retry} or {@code rejected}; {@link #pending()} and
 * {@link #spoolBytes()} suit gauges.
 */
public final class PyroscopeSink implements ProfileSink {

	/** The sink's name, in meters and logs. */
	public static final String NAME = "pyroscope";

	/** The sender thread's name. */
	public static final String THREAD_NAME = "diagkit-pyroscope-sender";

	private static final Log logger = LogFactory.getLog(PyroscopeSink.class);

	private final Settings settings;

	private final ExportEvents events;

	private final PyroscopeIngest ingest;

	private final WindowSpool spool;

	private final Thread sender;

	private final ReentrantLock lock = new ReentrantLock();

	/** Signalled when a window arrives or leaves, and on close. */
	private final Condition changed = this.lock.newCondition();

	/** The windows not yet delivered, by number: oldest first. Guarded by lock. */
	private final NavigableMap<Long, Pending> pending = new TreeMap<>();

	/** Guarded by lock. */
	private int inMemory;

	/** Guarded by lock. */
	private long nextNumber;

	/** The window being sent, which the spool must not delete. Guarded by lock. */
	private @Nullable Pending inFlight;

	/** Guarded by lock. */
	private boolean closed;

	/** Whether a full spool was logged since the last delivery. Guarded by lock. */
	private boolean spoolFullLogged;

	/** Written under lock, read by gauges without it. */
	private volatile long spoolBytes;

	/** Written under lock, read by gauges without it. */
	private volatile int pendingCount;

	/**
	 * Creates the sink, takes its spool directory (creating it if needed), and starts the
	 * sender, which begins with the windows a previous run left in the spool.
	 * @param settings where and how to send
	 * @param events receives upload and drop events
	 * @throws UncheckedIOException if the spool directory cannot be created or read
	 * @throws IllegalStateException if another sink uses the spool directory
	 */
	public PyroscopeSink(Settings settings, ExportEvents events) {
		this.settings = Objects.requireNonNull(settings, "settings must not be null");
		this.events = Objects.requireNonNull(events, "events must not be null");
		this.ingest = new PyroscopeIngest(settings);
		try {
			this.spool = WindowSpool.open(settings.spoolDirectory());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not use spool directory " + settings.spoolDirectory(), ex);
		}
		try {
			recoverSpool();
		}
		catch (IOException ex) {
			releaseSpool(ex);
			throw new UncheckedIOException("Could not use spool directory " + settings.spoolDirectory(), ex);
		}
		catch (RuntimeException ex) {
			releaseSpool(ex);
			throw ex;
		}
		this.sender = new Thread(this::send, THREAD_NAME);
		this.sender.setDaemon(true);
		this.sender.start();
	}

	private void recoverSpool() throws IOException {
		NavigableMap<Long, Long> files;
		try {
			files = this.spool.list();
		}
		catch (IOException ex) {
			closeSpool();
			throw ex;
		}
		long bytes = 0;
		for (Map.Entry<Long, Long> file : files.entrySet()) {
			this.pending.put(file.getKey(), Pending.onDisk(file.getKey(), file.getValue()));
			bytes += file.getValue();
		}
		this.spoolBytes = bytes;
		this.nextNumber = files.isEmpty() ? 0 : files.lastKey() + 1;
		if (!files.isEmpty()) {
			logger.info("Found " + files.size() + " profile windows (" + bytes + " bytes) left in spool directory "
					+ this.spool.directory() + " by an earlier run; they are sent to Pyroscope first");
		}
		int dropped = makeRoom(0);
		if (dropped > 0) {
			logger.warn("Dropped the " + dropped + " oldest profile windows of spool directory "
					+ this.spool.directory() + " to keep it within " + this.settings.spoolMaxBytes() + " bytes");
			this.events.dropped("spool-full", dropped);
		}
		this.pendingCount = this.pending.size();
	}

	@Override
	public String name() {
		return NAME;
	}

	/**
	 * Takes a window: keeps it in memory while the spool is empty and the queue has room,
	 * and writes it to the spool otherwise. Never waits for the network.
	 * @param window the window
	 */
	@Override
	public void accept(ProfileWindow window) {
		WindowUpload upload = WindowUpload.of(window);
		this.lock.lock();
		try {
			if (this.closed) {
				logger.warn("Dropped " + upload + ": the Pyroscope sink is closed");
				this.events.dropped("closed", 1);
				return;
			}
			// while the spool is empty, everything in memory is older than anything to come
			boolean keepInMemory = this.spoolBytes == 0 && this.inMemory < this.settings.queueCapacity();
			Pending entry = Pending.inMemory(this.nextNumber++, upload);
			this.pending.put(entry.number, entry);
			this.inMemory++;
			if (!keepInMemory) {
				spill(entry);
			}
			this.pendingCount = this.pending.size();
			this.changed.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Waits until every pending window is delivered or {@code timeout} passes, then writes
	 * the windows still in memory to the spool, for this sink's sender or the next run's.
	 * @param timeout the longest wait
	 */
	@Override
	public void flush(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		this.lock.lock();
		try {
			long remaining = deadline - System.nanoTime();
			while (!this.pending.isEmpty() && !this.closed && remaining > 0) {
				remaining = this.changed.awaitNanos(remaining);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			try {
				spillMemory();
			}
			finally {
				this.lock.unlock();
			}
		}
	}

	/**
	 * Stops the sender, cutting a request in progress short (its window stays pending),
	 * writes the windows still in memory to the spool and releases the spool directory. No
	 * thread of the sink survives.
	 */
	@Override
	public void close() {
		this.lock.lock();
		try {
			if (this.closed) {
				return;
			}
			this.closed = true;
			this.changed.signalAll();
		}
		finally {
			this.lock.unlock();
		}
		this.ingest.abort();
		joinSender();
		this.lock.lock();
		try {
			spillMemory();
		}
		finally {
			this.lock.unlock();
		}
		closeSpool();
	}

	private void joinSender() {
		// abort() ends a read at once; a connect in progress ends by its timeout
		long patience = this.settings.connectTimeout().toMillis() + 1000;
		try {
			this.sender.join(patience);
			if (this.sender.isAlive()) {
				this.sender.interrupt();
				this.sender.join(patience);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (this.sender.isAlive()) {
			logger.warn("The Pyroscope sender thread did not stop within " + (2 * patience) + " ms");
		}
	}

	/** Lets another sink take the spool after a failed start. */
	private void releaseSpool(Exception failure) {
		try {
			this.spool.close();
		}
		catch (IOException ex) {
			failure.addSuppressed(ex);
		}
	}

	private void closeSpool() {
		try {
			this.spool.close();
		}
		catch (IOException ex) {
			logger.warn("Could not release spool directory " + this.spool.directory(), ex);
		}
	}

	/**
	 * Returns how many windows wait for delivery, in memory and in the spool.
	 * @return the count
	 */
	public int pending() {
		return this.pendingCount;
	}

	/**
	 * Returns how many bytes the spool's windows take on disk.
	 * @return the size, at most {@link Settings#spoolMaxBytes()}
	 */
	public long spoolBytes() {
		return this.spoolBytes;
	}

	/**
	 * Writes a window held in memory to the spool, deleting the spool's oldest windows if
	 * it would grow beyond its limit; the window itself is dropped if it cannot fit beside
	 * the window being sent, or cannot be written. Called under lock.
	 */
	private void spill(Pending entry) {
		WindowUpload upload = Objects.requireNonNull(entry.upload);
		byte[] content = WindowSpool.encode(upload);
		Pending sending = this.inFlight;
		long undeletable = (sending != null && sending != entry) ? sending.fileBytes : 0;
		if (undeletable + content.length > this.settings.spoolMaxBytes()) {
			forget(entry);
			logger.warn("Dropped " + upload + ": its " + content.length + " bytes do not fit in spool directory "
					+ this.spool.directory() + " (at most " + this.settings.spoolMaxBytes() + " bytes, of which "
					+ undeletable + " hold the window being sent)");
			this.events.dropped("spool-full", 1);
			return;
		}
		int dropped = makeRoom(content.length);
		if (this.spoolBytes + content.length > this.settings.spoolMaxBytes()) {
			// a file that could not be deleted still takes its room
			forget(entry);
			dropped++;
		}
		if (dropped > 0) {
			logSpoolFull(dropped);
			this.events.dropped("spool-full", dropped);
		}
		if (!this.pending.containsKey(entry.number)) {
			return;
		}
		try {
			this.spool.write(entry.number, content);
		}
		catch (IOException ex) {
			forget(entry);
			logger.warn("Dropped " + upload + ": could not write it to spool directory " + this.spool.directory(), ex);
			this.events.dropped("spool-error", 1);
			return;
		}
		entry.upload = null;
		entry.fileBytes = content.length;
		this.inMemory--;
		this.spoolBytes += content.length;
	}

	/**
	 * Deletes the spool's oldest windows, except the one being sent, until {@code bytes}
	 * more fit or none is left to delete. Called under lock.
	 * @return how many windows were deleted
	 */
	private int makeRoom(long bytes) {
		int dropped = 0;
		Iterator<Pending> oldestFirst = this.pending.values().iterator();
		while (this.spoolBytes + bytes > this.settings.spoolMaxBytes() && oldestFirst.hasNext()) {
			Pending candidate = oldestFirst.next();
			if (candidate.fileBytes == 0 || candidate == this.inFlight) {
				continue;
			}
			try {
				this.spool.delete(candidate.number);
			}
			catch (IOException ex) {
				logger.warn("Could not delete " + this.spool.file(candidate.number) + " to make room", ex);
				continue;
			}
			oldestFirst.remove();
			this.spoolBytes -= candidate.fileBytes;
			dropped++;
		}
		this.pendingCount = this.pending.size();
		return dropped;
	}

	private void logSpoolFull(int dropped) {
		String message = "Pyroscope spool directory " + this.spool.directory() + " is full ("
				+ this.settings.spoolMaxBytes() + " bytes): dropped the oldest "
				+ ((dropped == 1) ? "profile window" : dropped + " profile windows");
		if (!this.spoolFullLogged) {
			this.spoolFullLogged = true;
			logger.warn(message + "; until windows are delivered again, further drops are logged at debug level");
		}
		else if (logger.isDebugEnabled()) {
			logger.debug(message);
		}
	}

	/** Writes every window held in memory to the spool, oldest first. Called under lock. */
	private void spillMemory() {
		for (Pending entry : this.pending.values().toArray(new Pending[0])) {
			if (entry.upload != null) {
				spill(entry);
			}
		}
		this.pendingCount = this.pending.size();
	}

	/** Removes a window from the pending ones, and its file if it has one. Called under lock. */
	private void forget(Pending entry) {
		if (this.pending.remove(entry.number) == null) {
			return;
		}
		if (entry.upload != null) {
			this.inMemory--;
		}
		else {
			try {
				this.spool.delete(entry.number);
			}
			catch (IOException ex) {
				logger.warn("Could not delete " + this.spool.file(entry.number)
						+ "; the next run may send its window again", ex);
			}
			this.spoolBytes -= entry.fileBytes;
		}
		this.pendingCount = this.pending.size();
	}

	/** The sender thread: delivers the oldest window, again and again. */
	private void send() {
		// the thread inherited its creator's labels; its uploads belong to no request
		try (LabelScope idle = LabelScopes.openExactly(LabelSet.empty())) {
			int failures = 0;
			while (true) {
				Pending head;
				WindowUpload upload;
				this.lock.lock();
				try {
					while (!this.closed && this.pending.isEmpty()) {
						this.changed.await();
					}
					if (this.closed) {
						return;
					}
					head = this.pending.firstEntry().getValue();
					upload = head.upload;
					this.inFlight = head;
				}
				catch (InterruptedException ex) {
					continue;
				}
				finally {
					this.lock.unlock();
				}
				if (upload == null) {
					upload = readSpooled(head);
					if (upload == null) {
						continue;
					}
				}
				failures = attempt(head, upload, failures);
			}
		}
	}

	private @Nullable WindowUpload readSpooled(Pending head) {
		try {
			return this.spool.read(head.number);
		}
		catch (IOException ex) {
			logger.warn("Dropped spooled profile window " + this.spool.file(head.number) + ": it cannot be read ("
					+ ex.getMessage() + ")");
			this.lock.lock();
			try {
				this.inFlight = null;
				forget(head);
				this.changed.signalAll();
			}
			finally {
				this.lock.unlock();
			}
			this.events.dropped("unreadable", 1);
			return null;
		}
	}

	/**
	 * Sends the oldest window once, and after a failure waits out the backoff.
	 * @return the failures in a row so far
	 */
	private int attempt(Pending head, WindowUpload upload, int failuresBefore) {
		long start = System.nanoTime();
		Result result;
		try {
			result = this.ingest.send(upload);
		}
		catch (RuntimeException ex) {
			logger.error("Unexpected failure sending " + upload + " to Pyroscope", ex);
			result = new Result(Outcome.RETRY, -1, ex.toString());
		}
		this.events.upload(NAME, result.outcome().id(), Duration.ofNanos(System.nanoTime() - start));
		int failures = failuresBefore;
		if (result.outcome() == Outcome.RETRY) {
			failures++;
			logRetry(upload, result, failures);
		}
		else {
			if (result.outcome() == Outcome.REJECTED) {
				logger.error("Pyroscope at " + this.settings.url() + " rejected " + upload + " with status "
						+ result.status() + ", so it is dropped: " + result.detail());
				this.events.dropped("rejected", 1);
			}
			if (failures > 0) {
				logger.info("Pyroscope at " + this.settings.url() + " answers again, after " + failures
						+ " failed attempts");
			}
			failures = 0;
		}
		this.lock.lock();
		try {
			this.inFlight = null;
			if (result.outcome() != Outcome.RETRY) {
				forget(head);
				this.spoolFullLogged = false;
				this.changed.signalAll();
				return failures;
			}
			long remaining = backoff(failures).toNanos();
			while (!this.closed && remaining > 0) {
				remaining = this.changed.awaitNanos(remaining);
			}
		}
		catch (InterruptedException ex) {
			// only close() interrupts, after it set closed
		}
		finally {
			this.lock.unlock();
		}
		return failures;
	}

	private void logRetry(WindowUpload upload, Result result, int failures) {
		String reason = (result.status() > 0) ? "status " + result.status() + ": " + result.detail() : result.detail();
		if (this.ingest.aborted()) {
			logger.debug("Sending " + upload + " was cut short by close (" + reason + "); it stays pending");
		}
		else if (failures == 1) {
			logger.warn("Could not send " + upload + " to Pyroscope at " + this.settings.url() + " (" + reason
					+ "); retrying with backoff while windows wait in memory and in " + this.spool.directory());
		}
		else if (logger.isDebugEnabled()) {
			logger.debug("Attempt " + failures + " to send " + upload + " failed (" + reason + ")");
		}
	}

	/**
	 * Returns the wait after the given number of failures in a row: the initial backoff,
	 * doubled with each failure up to the maximum, less a random part of up to half, so that
	 * instances restarted together do not retry in step.
	 */
	private Duration backoff(int failures) {
		long initial = this.settings.initialBackoff().toNanos();
		long max = this.settings.maxBackoff().toNanos();
		int doublings = Math.min(failures - 1, 62);
		long delay = (initial > (max >> doublings)) ? max : Math.min(max, initial << doublings);
		return Duration.ofNanos(delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1));
	}

	/**
	 * A window waiting for delivery: in memory ({@code upload} set) or in the spool
	 * ({@code fileBytes} set). Fields are guarded by the sink's lock.
	 */
	private static final class Pending {

		final long number;

		@Nullable WindowUpload upload;

		long fileBytes;

		private Pending(long number, @Nullable WindowUpload upload, long fileBytes) {
			this.number = number;
			this.upload = upload;
			this.fileBytes = fileBytes;
		}

		static Pending inMemory(long number, WindowUpload upload) {
			return new Pending(number, upload, 0);
		}

		static Pending onDisk(long number, long fileBytes) {
			return new Pending(number, null, fileBytes);
		}

	}

	/**
	 * Where and how a {@link PyroscopeSink} sends its windows. Start from
	 * {@link #of(URI, Path)}, which sets the defaults, and change with the {@code with…}
	 * methods. {@link #toString()} hides the password, the token and the headers' values.
	 *
	 * @param url Pyroscope's base address, such as {@code http://pyroscope:4040}; the sink
	 * posts to {@code {url}/ingest}
	 * @param tenantId the tenant, sent as {@code X-Scope-OrgID}, or {@code null} for none
	 * @param basicUsername the user for basic authentication, or {@code null}
	 * @param basicPassword the password for basic authentication, or {@code null}
	 * @param bearerToken the token for bearer authentication, or {@code null}
	 * @param headers further headers sent with every request
	 * @param connectTimeout how long to wait for a connection
	 * @param timeout how long to wait for data of the answer (the read timeout)
	 * @param spoolDirectory where windows wait on disk; one sink's alone
	 * @param spoolMaxBytes the most bytes the spool's windows take
	 * @param queueCapacity the most windows that wait in memory
	 * @param initialBackoff the wait after a first failure
	 * @param maxBackoff the longest wait between attempts
	 */
	public record Settings(URI url, @Nullable String tenantId, @Nullable String basicUsername,
			@Nullable String basicPassword, @Nullable String bearerToken, Map<String, String> headers,
			Duration connectTimeout, Duration timeout, Path spoolDirectory, long spoolMaxBytes, int queueCapacity,
			Duration initialBackoff, Duration maxBackoff) {

		/** The default connect timeout: 5 seconds. */
		public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

		/** The default read timeout: 10 seconds. */
		public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

		/** The default spool size: 64 MB. */
		public static final long DEFAULT_SPOOL_MAX_BYTES = 64L * 1024 * 1024;

		/** The default number of windows kept in memory: 8. */
		public static final int DEFAULT_QUEUE_CAPACITY = 8;

		/** The default wait after a first failure: 1 second. */
		public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofSeconds(1);

		/** The default longest wait between attempts: 30 seconds. */
		public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);

		/** Headers the sink sets itself or that {@link java.net.HttpURLConnection} would drop. */
		private static final Set<String> RESERVED_HEADERS = Set.of("content-type", "content-length", "host",
				"connection", "keep-alive", "transfer-encoding", "content-transfer-encoding", "trailer", "upgrade",
				"via", "origin", "access-control-request-headers", "access-control-request-method");

		/**
		 * Checks and copies the parts.
		 * @throws IllegalArgumentException if a part is out of range, or credentials or
		 * headers contradict each other
		 */
		public Settings {
			Objects.requireNonNull(url, "url must not be null");
			Objects.requireNonNull(spoolDirectory, "spoolDirectory must not be null");
			checkUrl(url);
			if (tenantId != null) {
				checkHeaderValue("tenantId", tenantId);
				if (tenantId.isBlank()) {
					throw new IllegalArgumentException("tenantId must not be blank; leave it out for no tenant");
				}
			}
			if ((basicUsername == null) != (basicPassword == null)) {
				throw new IllegalArgumentException("basicUsername and basicPassword must be given together, was only "
						+ ((basicUsername != null) ? "basicUsername" : "basicPassword"));
			}
			if (basicUsername != null && bearerToken != null) {
				throw new IllegalArgumentException(
						"Give basic authentication or a bearer token, not both; both were given");
			}
			if (basicUsername != null && basicUsername.indexOf(':') >= 0) {
				throw new IllegalArgumentException("basicUsername must not contain ':', was '" + basicUsername + "'");
			}
			if (bearerToken != null) {
				checkHeaderValue("bearerToken", bearerToken);
			}
			headers = checkHeaders(Objects.requireNonNull(headers, "headers must not be null"), tenantId != null,
					basicUsername != null || bearerToken != null);
			connectTimeout = checkTimeout("connectTimeout", connectTimeout);
			timeout = checkTimeout("timeout", timeout);
			if (spoolMaxBytes <= 0) {
				throw new IllegalArgumentException("spoolMaxBytes must be positive, was " + spoolMaxBytes);
			}
			if (queueCapacity < 0) {
				throw new IllegalArgumentException(
						"queueCapacity must be 0 (every window to the spool) or more, was " + queueCapacity);
			}
			Objects.requireNonNull(initialBackoff, "initialBackoff must not be null");
			Objects.requireNonNull(maxBackoff, "maxBackoff must not be null");
			if (initialBackoff.isNegative() || initialBackoff.isZero()) {
				throw new IllegalArgumentException("initialBackoff must be positive, was " + initialBackoff);
			}
			if (maxBackoff.compareTo(initialBackoff) < 0) {
				throw new IllegalArgumentException("maxBackoff must be at least initialBackoff (" + initialBackoff
						+ "), was " + maxBackoff);
			}
		}

		/**
		 * Returns settings for the given Pyroscope and spool directory, with the defaults:
		 * no tenant, no authentication, no further headers, timeouts of 5 s (connect) and 10 s
		 * (read), a spool of 64 MB, 8 windows in memory, backoff from 1 s to 30 s.
		 * @param url Pyroscope's base address
		 * @param spoolDirectory where windows wait on disk
		 * @return the settings
		 */
		public static Settings of(URI url, Path spoolDirectory) {
			return new Settings(url, null, null, null, null, Map.of(), DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT,
					spoolDirectory, DEFAULT_SPOOL_MAX_BYTES, DEFAULT_QUEUE_CAPACITY, DEFAULT_INITIAL_BACKOFF,
					DEFAULT_MAX_BACKOFF);
		}

		/**
		 * Returns a copy with a tenant.
		 * @param tenantId the tenant, or {@code null} for none
		 * @return the settings
		 */
		public Settings withTenantId(@Nullable String tenantId) {
			return new Settings(this.url, tenantId, this.basicUsername, this.basicPassword, this.bearerToken,
					this.headers, this.connectTimeout, this.timeout, this.spoolDirectory, this.spoolMaxBytes,
					this.queueCapacity, this.initialBackoff, this.maxBackoff);
		}

		/**
		 * Returns a copy with basic authentication.
		 * @param username the user
		 * @param password the password
		 * @return the settings
		 */
		public Settings withBasicAuthentication(String username, String password) {
			return new Settings(this.url, this.tenantId, username, password, this.bearerToken, this.headers,
					this.connectTimeout, this.timeout, this.spoolDirectory, this.spoolMaxBytes, this.queueCapacity,
					this.initialBackoff, this.maxBackoff);
		}

		/**
		 * Returns a copy with bearer authentication.
		 * @param token the token
		 * @return the settings
		 */
		public Settings withBearerToken(String token) {
			return new Settings(this.url, this.tenantId, this.basicUsername, this.basicPassword, token, this.headers,
					this.connectTimeout, this.timeout, this.spoolDirectory, this.spoolMaxBytes, this.queueCapacity,
					this.initialBackoff, this.maxBackoff);
		}

		/**
		 * Returns a copy with further headers, replacing those set before.
		 * @param headers the headers
		 * @return the settings
		 */
		public Settings withHeaders(Map<String, String> headers) {
			return new Settings(this.url, this.tenantId, this.basicUsername, this.basicPassword, this.bearerToken,
					headers, this.connectTimeout, this.timeout, this.spoolDirectory, this.spoolMaxBytes,
					this.queueCapacity, this.initialBackoff, this.maxBackoff);
		}

		/**
		 * Returns a copy with other timeouts.
		 * @param connectTimeout how long to wait for a connection
		 * @param timeout how long to wait for data of the answer
		 * @return the settings
		 */
		public Settings withTimeouts(Duration connectTimeout, Duration timeout) {
			return new Settings(this.url, this.tenantId, this.basicUsername, this.basicPassword, this.bearerToken,
					this.headers, connectTimeout, timeout, this.spoolDirectory, this.spoolMaxBytes, this.queueCapacity,
					this.initialBackoff, this.maxBackoff);
		}

		/**
		 * Returns a copy with another spool size.
		 * @param spoolMaxBytes the most bytes the spool's windows take
		 * @return the settings
		 */
		public Settings withSpoolMaxBytes(long spoolMaxBytes) {
			return new Settings(this.url, this.tenantId, this.basicUsername, this.basicPassword, this.bearerToken,
					this.headers, this.connectTimeout, this.timeout, this.spoolDirectory, spoolMaxBytes,
					this.queueCapacity, this.initialBackoff, this.maxBackoff);
		}

		/**
		 * Returns a copy with another number of windows kept in memory.
		 * @param queueCapacity the most windows in memory; 0 sends every window through the
		 * spool
		 * @return the settings
		 */
		public Settings withQueueCapacity(int queueCapacity) {
			return new Settings(this.url, this.tenantId, this.basicUsername, this.basicPassword, this.bearerToken,
					this.headers, this.connectTimeout, this.timeout, this.spoolDirectory, this.spoolMaxBytes,
					queueCapacity, this.initialBackoff, this.maxBackoff);
		}

		/**
		 * Returns a copy with another backoff.
		 * @param initialBackoff the wait after a first failure
		 * @param maxBackoff the longest wait between attempts
		 * @return the settings
		 */
		public Settings withBackoff(Duration initialBackoff, Duration maxBackoff) {
			return new Settings(this.url, this.tenantId, this.basicUsername, this.basicPassword, this.bearerToken,
					this.headers, this.connectTimeout, this.timeout, this.spoolDirectory, this.spoolMaxBytes,
					this.queueCapacity, initialBackoff, maxBackoff);
		}

		@Override
		public String toString() {
			return "Settings[url=" + this.url + ", tenantId=" + this.tenantId + ", basicUsername="
					+ this.basicUsername + ", basicPassword=" + ((this.basicPassword != null) ? "******" : null)
					+ ", bearerToken=" + ((this.bearerToken != null) ? "******" : null) + ", headers="
					+ this.headers.keySet() + ", connectTimeout=" + this.connectTimeout + ", timeout=" + this.timeout
					+ ", spoolDirectory=" + this.spoolDirectory + ", spoolMaxBytes=" + this.spoolMaxBytes
					+ ", queueCapacity=" + this.queueCapacity + ", initialBackoff=" + this.initialBackoff
					+ ", maxBackoff=" + this.maxBackoff + "]";
		}

		private static void checkUrl(URI url) {
			String scheme = (url.getScheme() != null) ? url.getScheme().toLowerCase(Locale.ROOT) : "";
			if (!url.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null
					|| url.getRawQuery() != null || url.getRawFragment() != null) {
				throw new IllegalArgumentException(
						"url must be an absolute http or https address with a host and without query or fragment, "
								+ "such as http://pyroscope:4040, was " + url);
			}
			if (url.getRawUserInfo() != null) {
				throw new IllegalArgumentException("url must not hold credentials, was " + url.getScheme() + "://"
						+ "******@" + url.getHost() + "…; set basicUsername and basicPassword instead");
			}
		}

		private static Map<String, String> checkHeaders(Map<String, String> headers, boolean tenant,
				boolean authorization) {
			Map<String, String> checked = new LinkedHashMap<>();
			for (Map.Entry<String, String> header : headers.entrySet()) {
				String name = Objects.requireNonNull(header.getKey(), "header names must not be null");
				String value = Objects.requireNonNull(header.getValue(), "header values must not be null");
				if (name.isEmpty() || !name.chars().allMatch(Settings::isTokenChar)) {
					throw new IllegalArgumentException("Header name '" + name
							+ "' is not an HTTP token: use letters, digits and !#$%&'*+-.^_`|~");
				}
				checkHeaderValue("Header " + name, value);
				String lower = name.toLowerCase(Locale.ROOT);
				if (RESERVED_HEADERS.contains(lower)) {
					throw new IllegalArgumentException("Header " + name + " is set by the sink or the HTTP client and "
							+ "cannot be given; the headers accepted are any others");
				}
				if (authorization && lower.equals("authorization")) {
					throw new IllegalArgumentException("Header Authorization would override the basic or bearer "
							+ "authentication that is set; give the credentials or the header, not both");
				}
				if (tenant && lower.equals("x-scope-orgid")) {
					throw new IllegalArgumentException("Header X-Scope-OrgID would override tenantId, which is set; "
							+ "give tenantId or the header, not both");
				}
				if (checked.keySet().stream().anyMatch(name::equalsIgnoreCase)) {
					throw new IllegalArgumentException("Header " + name + " is given twice (header names ignore case)");
				}
				checked.put(name, value);
			}
			return Collections.unmodifiableMap(checked);
		}

		private static boolean isTokenChar(int c) {
			return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
					|| "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
		}

		private static void checkHeaderValue(String what, String value) {
			for (int i = 0; i < value.length(); i++) {
				char c = value.charAt(i);
				if ((c < 0x20 && c != '\t') || c == 0x7f) {
					throw new IllegalArgumentException(
							what + " must not contain control characters such as line breaks, was given one at index "
									+ i);
				}
			}
		}

		private static Duration checkTimeout(String name, Duration timeout) {
			Objects.requireNonNull(timeout, name + " must not be null");
			if (timeout.toMillis() < 1 || timeout.toMillis() > Integer.MAX_VALUE) {
				throw new IllegalArgumentException(
						name + " must be between 1 ms and " + Integer.MAX_VALUE + " ms, was " + timeout);
			}
			return timeout;
		}

	}

}
