package dev.diagkit.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.diagkit.labels.LabelTimelines;
import dev.diagkit.profiling.JfrRedaction;
import dev.diagkit.profiling.JfrSampleConverter;
import dev.diagkit.profiling.LabelAttribution;
import dev.diagkit.profiling.PprofWriter;
import dev.diagkit.profiling.Profile;
import dev.diagkit.profiling.ProfileRecorder;
import dev.diagkit.profiling.ProfileType;
import dev.diagkit.profiling.SamplingSettings;
import jdk.jfr.Recording;
import jdk.jfr.RecordingState;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Profiles the whole life of the process: one JFR recording runs from {@link #start()} to
 * {@link #close()}, and every period the samples of the period just ended become one
 * label-aware profile per type ({@link ProfileWindow}), handed to every {@link ProfileSink}.
 * <p>
 * Windows are contiguous and exact: each is {@code [from, from + period)}, the next starts
 * where it ends, and an event belongs to the window in which it ended (JFR commits an event
 * when it ends), so every event is counted once. A window is read one
 * {@linkplain Settings#settleTime() settle time} after its end, by which JFR has written all
 * of its events; the recording keeps a few periods of data, so events that ended after a
 * window are read with the next. The first window starts when the recording does; the last,
 * shorter one ends when {@link #close()} stops it, and is delivered before close returns
 * (within the shutdown timeout).
 * <p>
 * Everything runs on one daemon thread of its own ({@value #THREAD_NAME}), which also reads
 * the label timelines every {@value #TIMELINE_READ_MILLIS} ms. On-demand captures run their
 * own recordings meanwhile.
 */
public final class ContinuousProfiler implements AutoCloseable {

	/** The name of the profiler's thread. */
	public static final String THREAD_NAME = "diagkit-continuous-profiler";

	/** The shortest period configuration accepts. */
	public static final Duration MIN_PERIOD = Duration.ofSeconds(5);

	/** The shortest period at all, for tests. */
	static final Duration SHORTEST_PERIOD = Duration.ofMillis(500);

	/** How long after a window's end it is read by default. */
	public static final Duration DEFAULT_SETTLE_TIME = Duration.ofSeconds(1);

	/** The size budget of each window's pprof by default: Pyroscope's limit per profile. */
	public static final long DEFAULT_MAX_PPROF_BYTES = PprofWriter.DEFAULT_MAX_BYTES;

	static final String RECORDING_NAME = "diagkit-continuous";

	private static final long TIMELINE_READ_MILLIS = 100;

	private static final Log logger = LogFactory.getLog(ContinuousProfiler.class);

	private final Settings settings;

	private final SamplingSettings sampling;

	private final List<ProfileSink> sinks;

	private final ExportEvents events;

	private final PprofWriter pprofWriter = new PprofWriter();

	private final Object lock = new Object();

	private final AtomicBoolean truncationWarned = new AtomicBoolean();

	private @Nullable Thread thread;

	private boolean stopping;

	private boolean closed;

	private volatile @Nullable Instant startedAt;

	private volatile @Nullable Instant coveredUntil;

	private volatile long coveredNanos;

	private volatile long windows;

	private volatile @Nullable String failure;

	private volatile Map<ProfileType, Double> truncatedShare = Map.of();

	private volatile long idleWaitsLeftOut;

	/**
	 * Creates a profiler; nothing runs until {@link #start()}.
	 * @param settings what to profile and how often
	 * @param sampling the sampling knobs, read when profiling starts
	 * @param sinks where windows go, in order
	 * @param events told of windows and drops
	 */
	public ContinuousProfiler(Settings settings, SamplingSettings sampling, List<ProfileSink> sinks,
			ExportEvents events) {
		this.settings = Objects.requireNonNull(settings, "settings must not be null");
		this.sampling = Objects.requireNonNull(sampling, "sampling must not be null");
		this.sinks = List.copyOf(sinks);
		this.events = Objects.requireNonNull(events, "events must not be null");
	}

	/**
	 * Starts profiling on the profiler's thread; does nothing if already started or closed.
	 */
	public void start() {
		synchronized (this.lock) {
			if (this.thread != null || this.closed) {
				return;
			}
			Thread started = new Thread(this::run, THREAD_NAME);
			started.setDaemon(true);
			this.thread = started;
			started.start();
		}
	}

	/**
	 * Stops profiling: ends the recording, delivers the last, partial window, flushes and
	 * closes the sinks, and waits for the thread, all within the shutdown timeout. Leaves no
	 * thread, recording or temporary file behind.
	 */
	@Override
	public void close() {
		Thread running;
		synchronized (this.lock) {
			if (this.closed) {
				return;
			}
			this.closed = true;
			this.stopping = true;
			this.lock.notifyAll();
			running = this.thread;
		}
		if (running == null) {
			this.sinks.forEach(ContinuousProfiler::closeQuietly);
			return;
		}
		try {
			running.join(this.settings.shutdownTimeout().toMillis());
			if (running.isAlive()) {
				logger.warn("Continuous profiling did not finish its last window within "
						+ this.settings.shutdownTimeout() + " (diagkit.profiling.continuous.shutdown-timeout); "
						+ "stopping it");
				running.interrupt();
				running.join(TimeUnit.SECONDS.toMillis(1));
			}
		}
		catch (InterruptedException ex) {
			running.interrupt();
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Returns where profiling stands.
	 * @return the status
	 */
	public Status status() {
		Instant started = this.startedAt;
		Instant until = this.coveredUntil;
		double coverage = (started == null || until == null || !until.isAfter(started)) ? 0
				: (double) this.coveredNanos / Duration.between(started, until).toNanos();
		boolean running;
		synchronized (this.lock) {
			running = this.thread != null && this.thread.isAlive() && !this.stopping;
		}
		return new Status(running, started, until, this.windows, coverage, this.settings.period(),
				this.settings.types(), this.sinks.stream().map(ProfileSink::name).toList(), this.truncatedShare,
				this.idleWaitsLeftOut, this.failure);
	}

	private void run() {
		Path directory = null;
		try (LabelTimelines timelines = LabelTimelines.start(); Recording recording = new Recording()) {
			directory = Files.createTempDirectory("diagkit-continuous-");
			SamplingSettings.Values values = this.sampling.current();
			boolean cpuTime = ProfileRecorder.cpuTimeSampling();
			for (ProfileType type : this.settings.types()) {
				JfrSampleConverter.enable(recording, type, values, cpuTime);
			}
			JfrRedaction.apply(recording);
			recording.setName(RECORDING_NAME);
			recording.setToDisk(true);
			recording.setMaxAge(this.settings.period().multipliedBy(3).plus(this.settings.settleTime()));
			// JFR's own shutdown hook runs beside the application's and stops every recording,
			// then deletes its repository: stopped with a destination, the recording is written
			// there first, so the last window survives whichever hook is first
			Path last = directory.resolve("last.jfr");
			recording.setDestination(last);
			recording.setDumpOnExit(true);
			LabelAttribution attribution = new LabelAttribution();
			attribution.add(timelines.read());
			recording.start();
			JfrRedaction.recordRedacted();
			Instant from = Objects.requireNonNull(recording.getStartTime());
			this.startedAt = from;
			logger.info("Continuous profiling started: " + this.settings.types() + " every "
					+ this.settings.period() + " to " + this.sinks.stream().map(ProfileSink::name).toList());
			JfrSampleConverter converter = new JfrSampleConverter(values, cpuTime, this.settings.maxStacks());
			long sequence = 0;
			while (true) {
				Instant until = from.plus(this.settings.period());
				boolean stop = awaitWindowEnd(until.plus(this.settings.settleTime()), timelines, attribution,
						recording);
				Path file = last;
				if (stop) {
					until = stop(recording);
				}
				else {
					file = directory.resolve("window-" + sequence + ".jfr");
					try {
						recording.dump(file);
					}
					catch (IOException | RuntimeException ex) {
						if (recording.getState() != RecordingState.RUNNING) {
							// JFR stopped it meanwhile: the next turn reads this window from what JFR wrote
							continue;
						}
						lost(from, until, ex);
						this.coveredUntil = until;
						from = until;
						continue;
					}
				}
				attribution.add(timelines.read());
				window(file, converter, attribution, sequence++, from, until);
				attribution.forgetBefore(until);
				from = until;
				if (stop) {
					break;
				}
			}
		}
		catch (Exception ex) {
			this.failure = ex.toString();
			logger.error("Continuous profiling stopped: " + ex.getMessage(), ex);
		}
		finally {
			deleteDirectory(directory);
			flushAndCloseSinks();
			logger.info("Continuous profiling stopped after " + this.windows + " windows");
		}
	}

	/**
	 * Waits until {@code deadline}, reading the label timelines meanwhile; returns whether
	 * profiling should stop instead: when it is closed, or when JFR stopped the recording.
	 */
	private boolean awaitWindowEnd(Instant deadline, LabelTimelines timelines, LabelAttribution attribution,
			Recording recording) throws InterruptedException {
		while (true) {
			long left = Duration.between(Instant.now(), deadline).toMillis();
			if (recording.getState() != RecordingState.RUNNING) {
				return true;
			}
			synchronized (this.lock) {
				if (this.stopping) {
					return true;
				}
				if (left <= 0) {
					return false;
				}
				this.lock.wait(Math.min(left, TIMELINE_READ_MILLIS));
			}
			attribution.add(timelines.read());
		}
	}

	/**
	 * Stops the recording, which JFR then writes to its destination, and returns when it
	 * ended. When JFR's shutdown hook (or {@code jcmd JFR.stop}) stopped it first, waits (within
	 * the shutdown timeout) until JFR has written it.
	 */
	private Instant stop(Recording recording) throws InterruptedException {
		boolean stoppedHere = false;
		try {
			if (recording.getState() == RecordingState.RUNNING) {
				recording.stop();
				stoppedHere = true;
			}
		}
		catch (IllegalStateException ex) {
			// stopped by JFR between the check and the call
		}
		if (!stoppedHere) {
			long deadline = System.nanoTime() + this.settings.shutdownTimeout().toNanos();
			while (recording.getState() != RecordingState.CLOSED && System.nanoTime() - deadline < 0) {
				Thread.sleep(10);
			}
			logger.info("JFR stopped the continuous recording (the JVM is shutting down, or JFR.stop was run); "
					+ "its last window ends at " + recording.getStopTime());
		}
		return Objects.requireNonNull(recording.getStopTime());
	}

	/**
	 * Makes the window {@code [from, until)} of every type from the recording written to
	 * {@code file}, hands it to the sinks, and deletes the file.
	 */
	private void window(Path file, JfrSampleConverter converter, LabelAttribution attribution, long sequence,
			Instant from, Instant until) {
		try {
			Map<ProfileType, JfrSampleConverter.Conversion> conversions = converter.convert(file,
					this.settings.types(), from, until, attribution, (labels) -> true, false);
			int gaps = attribution.takeGaps();
			Map<ProfileType, Double> truncated = new EnumMap<>(ProfileType.class);
			for (ProfileType type : this.settings.types()) {
				JfrSampleConverter.Conversion conversion = conversions.get(type);
				Profile profile = conversion.profile();
				if (gaps > 0) {
					List<String> notes = new ArrayList<>(profile.notes());
					notes.add(gaps + " threads changed labels faster than they could be read; some of their samples "
							+ "may carry the wrong labels");
					profile = new Profile(profile.type(), profile.start(), profile.duration(), profile.period(),
							profile.samples(), notes);
				}
				warnIfTruncated(type, conversion);
				truncated.put(type,
						(conversion.samples() > 0) ? (double) conversion.truncated() / conversion.samples() : 0.0);
				if (type == ProfileType.LOCK) {
					this.idleWaitsLeftOut = conversion.idleWaits();
				}
				ProfileWindow window = new ProfileWindow(sequence, type, from, until, this.settings.series(), profile,
						this.pprofWriter.write(profile, this.settings.maxPprofBytes()));
				this.events.windowMade(window);
				if (conversion.truncated() > 0) {
					this.events.truncated(window, conversion.truncated());
				}
				for (ProfileSink sink : this.sinks) {
					try {
						sink.accept(window);
					}
					catch (RuntimeException ex) {
						logger.warn("Profile sink '" + sink.name() + "' failed to take a window: " + ex, ex);
						this.events.dropped("sink-error", 1);
					}
				}
			}
			this.truncatedShare = Collections.unmodifiableMap(truncated);
			this.coveredNanos += Duration.between(from, until).toNanos();
			this.windows++;
		}
		catch (IOException | RuntimeException ex) {
			lost(from, until, ex);
		}
		finally {
			this.coveredUntil = until;
			try {
				Files.deleteIfExists(file);
			}
			catch (IOException ex) {
				logger.debug("Could not delete " + file, ex);
			}
		}
	}

	private void lost(Instant from, Instant until, Exception ex) {
		logger.warn("Continuous profiling lost the window " + from + " to " + until + ": " + ex, ex);
		this.events.dropped("error", this.settings.types().size());
	}

	private void warnIfTruncated(ProfileType type, JfrSampleConverter.Conversion conversion) {
		if (conversion.samples() == 0) {
			return;
		}
		double share = (double) conversion.truncated() / conversion.samples();
		if (share > this.settings.truncatedShareWarning() && this.truncationWarned.compareAndSet(false, true)) {
			logger.warn(String.format(Locale.ROOT,
					"%.0f%% of the %s samples of a window had stacks deeper than JFR records, so their roots are "
							+ "missing from flame graphs; start the JVM with "
							+ "-XX:FlightRecorderOptions:stackdepth=512 (this warning is logged once)",
					share * 100, type.id()));
		}
	}

	private void flushAndCloseSinks() {
		long deadline = System.nanoTime() + this.settings.shutdownTimeout().toNanos();
		for (ProfileSink sink : this.sinks) {
			long left = Math.max(0, deadline - System.nanoTime());
			try {
				sink.flush(Duration.ofNanos(left));
			}
			catch (RuntimeException ex) {
				logger.warn("Profile sink '" + sink.name() + "' failed to flush: " + ex, ex);
			}
		}
		this.sinks.forEach(ContinuousProfiler::closeQuietly);
	}

	private static void closeQuietly(ProfileSink sink) {
		try {
			sink.close();
		}
		catch (Exception ex) {
			logger.warn("Profile sink '" + sink.name() + "' failed to close: " + ex, ex);
		}
	}

	private static void deleteDirectory(@Nullable Path directory) {
		if (directory == null) {
			return;
		}
		try (var files = Files.list(directory)) {
			for (Path file : (Iterable<Path>) files::iterator) {
				Files.deleteIfExists(file);
			}
			Files.deleteIfExists(directory);
		}
		catch (IOException ex) {
			logger.warn("Could not delete the continuous profiling directory " + directory + ": " + ex);
		}
	}

	/**
	 * What continuous profiling records and how often.
	 *
	 * @param period how long each window is
	 * @param types the kinds of profile made for every window
	 * @param series the service and static labels of every window
	 * @param settleTime how long after a window's end it is read, so that JFR has written its
	 * events
	 * @param shutdownTimeout the longest {@link #close()} waits for the last window and the
	 * sinks
	 * @param maxPprofBytes the size budget of each window's pprof
	 * @param truncatedShareWarning the share of a window's samples with truncated stacks above
	 * which a warning is logged (once)
	 * @param maxStacks the most distinct (stack, labels) entries a window keeps; colder ones
	 * are folded into a {@code [truncated]} frame
	 */
	public record Settings(Duration period, Set<ProfileType> types, SeriesLabels series, Duration settleTime,
			Duration shutdownTimeout, long maxPprofBytes, double truncatedShareWarning, int maxStacks) {

		/**
		 * Checks the settings.
		 */
		public Settings {
			Objects.requireNonNull(period, "period must not be null");
			Objects.requireNonNull(series, "series must not be null");
			if (period.compareTo(SHORTEST_PERIOD) < 0) {
				throw new IllegalArgumentException("period must be at least " + MIN_PERIOD + ", was " + period);
			}
			if (types.isEmpty()) {
				throw new IllegalArgumentException("types must name at least one of cpu, alloc, lock");
			}
			types = Collections.unmodifiableSet(EnumSet.copyOf(types));
			if (settleTime.isNegative() || settleTime.compareTo(period) >= 0) {
				throw new IllegalArgumentException(
						"settleTime must be between 0 and the period " + period + ", was " + settleTime);
			}
		}

	}

	/**
	 * Where continuous profiling stands.
	 *
	 * @param running whether it profiles now
	 * @param startedAt when the first window started, or {@code null} before
	 * @param coveredUntil the end of the last window, or {@code null} before the first
	 * @param windows how many periods were profiled
	 * @param coverage the share of the time from {@code startedAt} to {@code coveredUntil}
	 * that windows cover: 1.0 when none was lost
	 * @param period the period
	 * @param types the kinds of profile
	 * @param sinks the sinks' names
	 * @param truncatedShare for each type, the share of the last window's samples whose stacks
	 * were deeper than JFR records
	 * @param idleWaitsLeftOut how many waits of idle pool workers for their next task the
	 * last window's lock profile left out
	 * @param failure why profiling stopped on its own, or {@code null}
	 */
	public record Status(boolean running, @Nullable Instant startedAt, @Nullable Instant coveredUntil, long windows,
			double coverage, Duration period, Set<ProfileType> types, List<String> sinks,
			Map<ProfileType, Double> truncatedShare, long idleWaitsLeftOut, @Nullable String failure) {
	}

}
