package dev.diagkit.profiling;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import dev.diagkit.labels.LabelSet;
import dev.diagkit.labels.LabelTimelines;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;

/**
 * Takes a label-aware profile on demand: records JFR for a while with only the events one
 * {@link ProfileType} needs, and joins every sample to the labels its thread carried at the
 * sample's instant, from the {@link LabelTimelines} read while recording. CPU uses
 * {@code jdk.CPUTimeSample} where the JVM has it (JDK 25+), {@code jdk.ExecutionSample}
 * otherwise; allocation uses {@code jdk.ObjectAllocationSample} (weighted bytes); lock
 * contention uses {@code jdk.JavaMonitorEnter} and {@code jdk.ThreadPark} over the threshold.
 * Closing the recorder ends captures still running.
 */
public class ProfileRecorder implements AutoCloseable {

	static final String CPU_TIME_SAMPLE = JfrSampleConverter.CPU_TIME_SAMPLE;

	/** The label naming a sample's thread, when asked for. */
	public static final String THREAD = "thread";

	private static final long TIMELINE_READ_MILLIS = 100;

	private final SamplingSettings sampling;

	private static final String NAME = "diagkit-profile";

	private final JfrRecordings recordings = new JfrRecordings();

	/**
	 * Creates a recorder.
	 * @param sampling the sampling knobs to apply
	 */
	public ProfileRecorder(SamplingSettings sampling) {
		this.sampling = sampling;
	}

	/**
	 * Returns whether CPU profiles use {@code jdk.CPUTimeSample} (JDK 25+) on this JVM.
	 * @return whether CPU-time sampling is available
	 */
	public static boolean cpuTimeSampling() {
		for (EventType type : FlightRecorder.getFlightRecorder().getEventTypes()) {
			if (type.getName().equals(CPU_TIME_SAMPLE)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Records for {@code duration} and returns the profile of the samples whose labels
	 * {@code focus} accepts.
	 * @param type the kind of profile
	 * @param duration how long to record
	 * @param focus which samples to keep, by their labels
	 * @return the profile
	 * @throws IOException if the recording cannot be written or read, or the recorder closed
	 * @throws InterruptedException if interrupted while recording
	 */
	public Profile record(ProfileType type, Duration duration, Predicate<LabelSet> focus)
			throws IOException, InterruptedException {
		return record(type, duration, focus, false);
	}

	/**
	 * Records for {@code duration} and returns the profile of the samples whose labels
	 * {@code focus} accepts, optionally with a {@code thread} label naming each sample's
	 * thread (one series per thread in Pyroscope: for a look, not for continuous use).
	 * @param type the kind of profile
	 * @param duration how long to record
	 * @param focus which samples to keep, by their labels
	 * @param threadLabel whether to add a {@code thread} label
	 * @return the profile
	 * @throws IOException if the recording cannot be written or read, or the recorder closed
	 * @throws InterruptedException if interrupted while recording
	 */
	public Profile record(ProfileType type, Duration duration, Predicate<LabelSet> focus, boolean threadLabel)
			throws IOException, InterruptedException {
		return record(type, duration, focus, threadLabel, false);
	}

	/**
	 * Records a profile for {@code duration}, keeping only samples whose labels pass
	 * {@code focus}; a lock profile leaves out the waits of idle pool workers for their
	 * next task unless {@code idleWaits} is set.
	 * @param type the kind of profile
	 * @param duration how long to record
	 * @param focus which samples to keep, by their labels
	 * @param threadLabel whether to add a {@code thread} label
	 * @param idleWaits whether a lock profile keeps the waits of idle pool workers
	 * @return the profile
	 * @throws IOException if the recording cannot be written or read, or the recorder closed
	 * @throws InterruptedException if interrupted while recording
	 */
	public Profile record(ProfileType type, Duration duration, Predicate<LabelSet> focus, boolean threadLabel,
			boolean idleWaits) throws IOException, InterruptedException {
		SamplingSettings.Values values = this.sampling.current();
		boolean cpuTime = type == ProfileType.CPU && cpuTimeSampling();
		Instant start = Instant.now();
		LabelAttribution attribution = new LabelAttribution();
		try (LabelTimelines timelines = LabelTimelines.start()) {
			// the first read marks where every thread stood when sampling began; later reads,
			// every 100 ms, keep a busy thread's ring from lapping
			attribution.add(timelines.read());
			Path file = this.recordings.record(NAME, (recording) -> JfrSampleConverter.enable(recording, type, values, cpuTime), duration,
					TIMELINE_READ_MILLIS, () -> attribution.add(timelines.read()));
			try {
				attribution.add(timelines.read());
				return build(type, values, cpuTime, file, start, Duration.between(start, Instant.now()), attribution,
						focus, threadLabel, idleWaits);
			}
			finally {
				Files.deleteIfExists(file);
				this.recordings.deleted(file);
			}
		}
	}

	/**
	 * Records for {@code duration} with the events of {@code type} and returns the raw JFR
	 * file. The caller deletes it and reports that with {@link #deleted(Path)}; files still
	 * there when the recorder closes are deleted then.
	 * @param type the kind of profile
	 * @param duration how long to record
	 * @return the JFR file
	 * @throws IOException if the recording cannot be written, or the recorder closed
	 * @throws UnsafeRecordingException if another recording put secrets in the file that
	 * this JDK cannot remove
	 * @throws InterruptedException if interrupted while recording
	 */
	public Path recordFile(ProfileType type, Duration duration) throws IOException, InterruptedException {
		SamplingSettings.Values values = this.sampling.current();
		boolean cpuTime = type == ProfileType.CPU && cpuTimeSampling();
		return this.recordings.scrubbed(this.recordings.record(NAME,
				(recording) -> JfrSampleConverter.enable(recording, type, values, cpuTime), duration, 0, null));
	}

	/**
	 * Notes that a file returned by {@link #recordFile} was deleted by its user.
	 * @param file the file
	 */
	public void deleted(Path file) {
		this.recordings.deleted(file);
	}

	/**
	 * Turns a JFR file (such as one from {@link #recordFile}) into a profile of the given type.
	 * No label changes were recorded with it, so samples carry no labels.
	 * @param type the kind of profile
	 * @param jfr the recording
	 * @param duration how long it covers
	 * @return the profile
	 * @throws IOException if the file cannot be read
	 */
	public Profile read(ProfileType type, Path jfr, Duration duration) throws IOException {
		SamplingSettings.Values values = this.sampling.current();
		return build(type, values, type == ProfileType.CPU && cpuTimeSampling(), jfr, Instant.now().minus(duration),
				duration, new LabelAttribution(), (labels) -> true, false, false);
	}

	private static Profile build(ProfileType type, SamplingSettings.Values values, boolean cpuTime, Path file,
			Instant start, Duration duration, LabelAttribution attribution, Predicate<LabelSet> focus,
			boolean threadLabel, boolean idleWaits) throws IOException {
		JfrSampleConverter.Conversion conversion = new JfrSampleConverter(values, cpuTime).keepingIdleWaits(idleWaits)
			.convertAll(file, Set.of(type), start, duration, attribution, focus, threadLabel)
			.get(type);
		Profile profile = conversion.profile();
		int gaps = attribution.takeGaps();
		if (gaps == 0) {
			return profile;
		}
		List<String> notes = new ArrayList<>(profile.notes());
		notes.add(gaps + " threads changed labels faster than they could be read; "
				+ "some of their samples may carry the wrong labels");
		return new Profile(profile.type(), profile.start(), profile.duration(), profile.period(), profile.samples(),
				notes);
	}

	/**
	 * Returns how many captures are running now.
	 * @return the count
	 */
	public int running() {
		return this.recordings.running();
	}

	/**
	 * Ends every capture still running (their callers get an {@link IOException}) and deletes
	 * recordings handed out and not yet deleted.
	 */
	@Override
	public void close() {
		this.recordings.close();
	}

}
