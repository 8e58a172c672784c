package dev.diagkit.trace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.diagkit.profiling.JfrRecordings;
import dev.diagkit.profiling.SamplingSettings;
import jdk.jfr.Configuration;

/**
 * Records JFR for a bounded time into a temporary file, with the sampling knobs in force
 * applied on top of a JDK settings file ({@code default} or {@code profile}), diagkit's
 * {@link DiagTrace} events, and every thread's label intervals
 * ({@code diagkit.LabelInterval}; the end of each label scope is stamped while a trace
 * records). Closing the
 * recorder ends every recording still running and deletes files not yet handed over, so
 * neither a recording nor a file outlives the application.
 */
public class TraceRecorder implements AutoCloseable {

	/** The JDK settings files a trace can start from. */
	public static final Set<String> SETTINGS = Set.of("default", "profile");

	/**
	 * How often the label timelines are read while a trace records: a thread's ring holds its
	 * last 4,096 label changes, which a busy server thread makes in a few seconds.
	 */
	private static final long INTERVAL_READ_MILLIS = 1000;

	/** diagkit's own events, off by default ({@code @Enabled(false)}): a trace turns them on by name. */
	private static final List<String> DIAGKIT_EVENTS = List.of(TaskEvent.NAME, RegionEvent.NAME, LogEvent.NAME,
			LabelIntervalEvent.NAME, QueueWaitEvent.NAME);

	private final SamplingSettings sampling;

	private final JfrRecordings recordings = new JfrRecordings();

	/**
	 * Creates a recorder.
	 * @param sampling the sampling knobs to apply
	 */
	public TraceRecorder(SamplingSettings sampling) {
		this.sampling = sampling;
	}

	/**
	 * Records for {@code duration} and returns the recording file. The caller deletes it
	 * after use and reports that with {@link #deleted(Path)}; files still there when the
	 * recorder closes are deleted then.
	 * @param duration how long to record
	 * @param settingsName {@code default} or {@code profile}
	 * @return the JFR file
	 * @throws IOException if the recording cannot be written
	 * @throws InterruptedException if interrupted while recording (the file is deleted)
	 */
	public Path record(Duration duration, String settingsName) throws IOException, InterruptedException {
		return record(duration, settingsName, 0);
	}

	/**
	 * Records for {@code duration}, keeping at most about {@code maxBytes} (the oldest data
	 * is dropped beyond it, a JFR chunk at a time), and returns the recording file. The
	 * caller deletes it and reports that with {@link #deleted(Path)}.
	 * @param duration how long to record
	 * @param settingsName {@code default} or {@code profile}
	 * @param maxBytes the most data kept, or 0 for no limit
	 * @return the JFR file
	 * @throws IOException if the recording cannot be written
	 * @throws InterruptedException if interrupted while recording (the file is deleted)
	 */
	public Path record(Duration duration, String settingsName, long maxBytes)
			throws IOException, InterruptedException {
		return record(duration, settingsName, maxBytes, List.of());
	}

	/**
	 * Records for {@code duration}, timing every call of {@code methods}, keeping at most
	 * about {@code maxBytes}, and returns the recording file. The caller deletes it and
	 * reports that with {@link #deleted(Path)}.
	 * @param duration how long to record
	 * @param settingsName {@code default} or {@code profile}
	 * @param maxBytes the most data kept, or 0 for no limit
	 * @param methods methods to time, as {@link MethodTiming#select} returns them; empty for
	 * none
	 * @return the JFR file
	 * @throws IOException if the recording cannot be written
	 * @throws InterruptedException if interrupted while recording (the file is deleted)
	 */
	public Path record(Duration duration, String settingsName, long maxBytes, List<String> methods)
			throws IOException, InterruptedException {
		if (!SETTINGS.contains(settingsName)) {
			throw new IllegalArgumentException("settings must be one of " + SETTINGS + ", was '" + settingsName + "'");
		}
		Map<String, String> settings = settings(settingsName);
		if (!methods.isEmpty()) {
			MethodTiming.enable(settings, methods);
		}
		try (LabelIntervals intervals = new LabelIntervals()) {
			return this.recordings.scrubbed(this.recordings.record("diagkit-trace", (recording) -> {
				recording.setSettings(settings);
				recording.setMaxSize(maxBytes);
			}, duration, INTERVAL_READ_MILLIS, intervals::read, intervals::close));
		}
	}

	private Map<String, String> settings(String name) {
		Map<String, String> settings;
		try {
			settings = new java.util.HashMap<>(Configuration.getConfiguration(name).getSettings());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (ParseException ex) {
			throw new IllegalStateException("The JDK's JFR settings '" + name + "' cannot be read", ex);
		}
		SamplingSettings.Values values = this.sampling.current();
		String period = values.cpuInterval().toNanos() + " ns";
		settings.put("jdk.ExecutionSample#enabled", "true");
		settings.put("jdk.ExecutionSample#period", period);
		settings.put("jdk.NativeMethodSample#period", period);
		settings.put("jdk.ObjectAllocationSample#enabled", "true");
		settings.put("jdk.ObjectAllocationSample#throttle", values.allocationSamplesPerSecond() + "/s");
		String threshold = values.lockThreshold().toNanos() + " ns";
		settings.put("jdk.JavaMonitorEnter#enabled", "true");
		settings.put("jdk.JavaMonitorEnter#threshold", threshold);
		settings.put("jdk.ThreadPark#enabled", "true");
		settings.put("jdk.ThreadPark#threshold", threshold);
		for (String event : DIAGKIT_EVENTS) {
			settings.put(event + "#enabled", "true");
		}
		return settings;
	}

	/**
	 * Notes that a file returned by {@link #record} was deleted by its user.
	 * @param file the file
	 */
	public void deleted(Path file) {
		this.recordings.deleted(file);
	}

	/**
	 * Returns how many recordings are running now.
	 * @return the count
	 */
	public int running() {
		return this.recordings.running();
	}

	/**
	 * Ends every recording still running; their callers get an {@link IOException} and their
	 * files are deleted.
	 */
	@Override
	public void close() {
		this.recordings.close();
	}

}
