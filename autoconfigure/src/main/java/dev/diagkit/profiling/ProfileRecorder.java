package dev.diagkit.profiling;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import dev.diagkit.labels.LabelSet;
import dev.diagkit.labels.LabelTimelines;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

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

	static final String CPU_TIME_SAMPLE = "jdk.CPUTimeSample";

	/** The label naming a sample's thread, when asked for. */
	public static final String THREAD = "thread";

	private static final long TIMELINE_READ_MILLIS = 100;

	private static final int MAX_STACK_DEPTH = 256;

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
		SamplingSettings.Values values = this.sampling.current();
		boolean cpuTime = type == ProfileType.CPU && cpuTimeSampling();
		Instant start = Instant.now();
		List<Map<Long, LabelTimelines.History>> reads = new ArrayList<>();
		try (LabelTimelines timelines = LabelTimelines.start()) {
			// the first read marks where every thread stood when sampling began; later reads,
			// every 100 ms, keep a busy thread's ring from lapping
			reads.add(timelines.read());
			Path file = this.recordings.record(NAME, (recording) -> configure(recording, type, values, cpuTime), duration,
					TIMELINE_READ_MILLIS, () -> reads.add(timelines.read()));
			try {
				reads.add(timelines.read());
				return build(type, values, cpuTime, file, start, Duration.between(start, Instant.now()), reads, focus,
						threadLabel);
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
				(recording) -> configure(recording, type, values, cpuTime), duration, 0, null));
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
				duration, List.of(), (labels) -> true, false);
	}

	private static void configure(Recording recording, ProfileType type, SamplingSettings.Values values,
			boolean cpuTime) {
		Duration threshold = values.lockThreshold();
		switch (type) {
			case CPU -> {
				if (cpuTime) {
					recording.enable(CPU_TIME_SAMPLE).with("throttle", values.cpuInterval().toMillis() + "ms");
				}
				else {
					recording.enable("jdk.ExecutionSample").withPeriod(values.cpuInterval());
				}
			}
			case ALLOC -> recording.enable("jdk.ObjectAllocationSample")
				.with("throttle", values.allocationSamplesPerSecond() + "/s");
			case LOCK -> {
				recording.enable("jdk.JavaMonitorEnter").withThreshold(threshold);
				recording.enable("jdk.ThreadPark").withThreshold(threshold);
			}
		}
	}

	private static Profile build(ProfileType type, SamplingSettings.Values values, boolean cpuTime, Path file,
			Instant start, Duration duration, List<Map<Long, LabelTimelines.History>> reads,
			Predicate<LabelSet> focus, boolean threadLabel) throws IOException {
		long period = (type == ProfileType.CPU) ? values.cpuInterval().toNanos() : 1;
		Profile.Builder builder = Profile.builder(type, start, period);
		Attribution attribution = new Attribution(reads);
		Map<RecordedFrameKey, StackFrame> frames = new HashMap<>();
		long truncated = 0;
		long kept = 0;
		long dropped = 0;
		try (RecordingFile recordingFile = new RecordingFile(file)) {
			while (recordingFile.hasMoreEvents()) {
				RecordedEvent event = recordingFile.readEvent();
				long[] sampleValues = values(type, event, period);
				if (sampleValues == null) {
					continue;
				}
				RecordedThread thread = event.hasField("sampledThread") ? event.getThread("sampledThread")
						: event.getThread();
				if (thread == null || event.getStackTrace() == null) {
					continue;
				}
				LabelSet labels = attribution.labelsAt(thread.getJavaThreadId(), event.getStartTime());
				if (threadLabel && thread.getJavaName() != null) {
					labels = labels.with(THREAD, thread.getJavaName());
				}
				if (!focus.test(labels)) {
					dropped++;
					continue;
				}
				RecordedStackTrace stack = event.getStackTrace();
				if (stack.isTruncated()) {
					truncated++;
				}
				builder.add(stack(stack, frames), labels, sampleValues);
				kept++;
			}
		}
		builder.note("Recorded with " + (cpuTime ? CPU_TIME_SAMPLE : eventNames(type)) + "; " + kept
				+ " samples kept, " + dropped + " outside the focus");
		if (truncated > 0) {
			builder.note(truncated + " samples had stacks deeper than JFR records (64 frames by default); "
					+ "their roots are missing");
		}
		if (attribution.gaps() > 0) {
			builder.note(attribution.gaps() + " threads changed labels faster than they could be read; "
					+ "some of their samples may carry the wrong labels");
		}
		return builder.build(duration);
	}

	private static String eventNames(ProfileType type) {
		return switch (type) {
			case CPU -> "jdk.ExecutionSample";
			case ALLOC -> "jdk.ObjectAllocationSample";
			case LOCK -> "jdk.JavaMonitorEnter and jdk.ThreadPark";
		};
	}

	private static long[] values(ProfileType type, RecordedEvent event, long period) {
		String name = event.getEventType().getName();
		return switch (type) {
			case CPU -> (name.equals("jdk.ExecutionSample") || name.equals(CPU_TIME_SAMPLE)) ? new long[] { 1, period }
					: null;
			case ALLOC -> name.equals("jdk.ObjectAllocationSample") ? new long[] { 1, event.getLong("weight") } : null;
			case LOCK -> (name.equals("jdk.JavaMonitorEnter") || name.equals("jdk.ThreadPark"))
					? new long[] { 1, event.getDuration().toNanos() } : null;
		};
	}

	private static List<StackFrame> stack(RecordedStackTrace trace, Map<RecordedFrameKey, StackFrame> frames) {
		List<RecordedFrame> recorded = trace.getFrames();
		int depth = Math.min(recorded.size(), MAX_STACK_DEPTH);
		List<StackFrame> stack = new ArrayList<>(depth);
		for (int i = 0; i < depth; i++) {
			RecordedFrame frame = recorded.get(i);
			String className = frame.getMethod().getType().getName();
			String methodName = frame.getMethod().getName();
			int line = Math.max(0, frame.getLineNumber());
			stack.add(frames.computeIfAbsent(new RecordedFrameKey(className, methodName, line),
					(key) -> new StackFrame(className, methodName, sourceFile(className), line)));
		}
		return stack;
	}

	/** JFR does not record source files; the top-level class's name is the usual one. */
	private static String sourceFile(String className) {
		String simple = className.substring(className.lastIndexOf('.') + 1);
		int nested = simple.indexOf('$');
		return ((nested > 0) ? simple.substring(0, nested) : simple) + ".java";
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

	private record RecordedFrameKey(String className, String methodName, int line) {
	}

	/**
	 * Joins samples to labels: JFR gives wall-clock instants, label changes carry
	 * {@link System#nanoTime()}; one offset, taken now, maps the first onto the second.
	 */
	private static final class Attribution {

		private final List<Map<Long, LabelTimelines.History>> reads;

		private final long epochToNano;

		private final int gaps;

		Attribution(List<Map<Long, LabelTimelines.History>> reads) {
			this.reads = reads;
			Instant now = Instant.now();
			long nano = System.nanoTime();
			this.epochToNano = nano - (now.getEpochSecond() * 1_000_000_000L + now.getNano());
			int gapCount = 0;
			for (Map<Long, LabelTimelines.History> read : reads) {
				for (LabelTimelines.History history : read.values()) {
					if (history.gap()) {
						gapCount++;
					}
				}
			}
			this.gaps = gapCount;
		}

		LabelSet labelsAt(long threadId, Instant at) {
			long nanoTime = at.getEpochSecond() * 1_000_000_000L + at.getNano() + this.epochToNano;
			// the read that first saw a change after this instant knows the labels at it
			for (Map<Long, LabelTimelines.History> read : this.reads) {
				LabelTimelines.History history = read.get(threadId);
				if (history != null && history.changes() > 0 && history.lastChange() >= nanoTime) {
					return history.labelsAt(nanoTime);
				}
			}
			for (int i = this.reads.size() - 1; i >= 0; i--) {
				LabelTimelines.History history = this.reads.get(i).get(threadId);
				if (history != null) {
					return history.labelsAt(nanoTime);
				}
			}
			return LabelSet.empty();
		}

		int gaps() {
			return this.gaps;
		}

	}

}
