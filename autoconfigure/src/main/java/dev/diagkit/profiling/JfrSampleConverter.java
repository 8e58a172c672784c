package dev.diagkit.profiling;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import dev.diagkit.labels.LabelSet;
import dev.diagkit.labels.LabelTimelines;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;
import org.jspecify.annotations.Nullable;

/**
 * Turns the samples of a JFR file into label-aware profiles, one per {@link ProfileType}, in
 * one pass: the events each type needs ({@link #enable}), each joined to the labels its
 * thread carried ({@link LabelAttribution}). Only events that ended within
 * {@code [from, until)} count, so that consecutive windows over the same recording take
 * every event exactly once: an event is committed when it ends, so a window read after its
 * end has all of its events.
 */
public final class JfrSampleConverter {

	static final String CPU_TIME_SAMPLE = "jdk.CPUTimeSample";

	static final String OLD_OBJECT_SAMPLE = "jdk.OldObjectSample";

	static final String THREAD_PARK = "jdk.ThreadPark";

	/**
	 * The labels of a live object allocated before the oldest label change still known: its
	 * thread's labels then are no longer known.
	 */
	public static final LabelSet UNLABELLED = LabelSet.of("labels", "unlabelled");

	private static final int MAX_STACK_DEPTH = 256;

	private final SamplingSettings.Values values;

	private final boolean cpuTime;

	private final int maxStacks;

	private final boolean keepIdleWaits;

	private final Map<FrameKey, StackFrame> frames = new HashMap<>();

	/**
	 * Creates a converter for recordings made with the given knobs.
	 * @param values the sampling knobs the recording used
	 * @param cpuTime whether CPU profiles come from {@code jdk.CPUTimeSample}
	 */
	public JfrSampleConverter(SamplingSettings.Values values, boolean cpuTime) {
		this(values, cpuTime, Integer.MAX_VALUE);
	}

	/**
	 * Creates a converter whose profiles keep at most {@code maxStacks} distinct (stack,
	 * labels) pairs, folding the coldest into {@link Profile#TRUNCATED_FRAME}.
	 * @param values the sampling knobs the recording used
	 * @param cpuTime whether CPU profiles come from {@code jdk.CPUTimeSample}
	 * @param maxStacks the most distinct pairs a profile keeps
	 */
	public JfrSampleConverter(SamplingSettings.Values values, boolean cpuTime, int maxStacks) {
		this(values, cpuTime, maxStacks, false);
	}

	private JfrSampleConverter(SamplingSettings.Values values, boolean cpuTime, int maxStacks, boolean keepIdleWaits) {
		this.values = values;
		this.cpuTime = cpuTime;
		this.maxStacks = maxStacks;
		this.keepIdleWaits = keepIdleWaits;
	}

	/**
	 * Returns a converter whose lock profiles keep the waits of idle pool workers for their
	 * next task, which are left out (and counted) by default: they are idleness, not
	 * contention.
	 * @param keep whether to keep them
	 * @return the converter
	 */
	public JfrSampleConverter keepingIdleWaits(boolean keep) {
		return new JfrSampleConverter(this.values, this.cpuTime, this.maxStacks, keep);
	}

	/**
	 * Enables in {@code recording} the events a type of profile needs.
	 * @param recording the recording
	 * @param type the kind of profile
	 * @param values the sampling knobs
	 * @param cpuTime whether to sample CPU with {@code jdk.CPUTimeSample} (JDK 25+)
	 */
	public static void enable(Recording recording, ProfileType type, SamplingSettings.Values values, boolean cpuTime) {
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
				recording.enable(THREAD_PARK).withThreshold(threshold);
			}
			// no cutoff: the path to the GC roots is not searched, which would walk the heap
			case LIVE -> recording.enable(OLD_OBJECT_SAMPLE).withStackTrace().with("cutoff", "0 ns");
		}
	}

	/**
	 * Reads {@code file} and returns one profile per type of the events that ended within
	 * {@code [from, until)}.
	 * @param file the JFR file
	 * @param types the kinds of profile to make
	 * @param from the start of the window, inclusive
	 * @param until the end of the window, exclusive
	 * @param attribution the labels of the threads over the window
	 * @param focus which samples to keep, by their labels
	 * @param threadLabel whether to add a {@code thread} label naming each sample's thread
	 * @return the conversions, by type
	 * @throws IOException if the file cannot be read
	 */
	public Map<ProfileType, Conversion> convert(Path file, Set<ProfileType> types, Instant from, Instant until,
			LabelAttribution attribution, Predicate<LabelSet> focus, boolean threadLabel) throws IOException {
		return convert(file, types, from, Duration.between(from, until), true, attribution, focus, threadLabel);
	}

	/**
	 * Reads {@code file}, a recording of its own, and returns one profile per type of all its
	 * events.
	 * @param file the JFR file
	 * @param types the kinds of profile to make
	 * @param start when the recording started
	 * @param duration how long it recorded
	 * @param attribution the labels of the threads over the recording
	 * @param focus which samples to keep, by their labels
	 * @param threadLabel whether to add a {@code thread} label naming each sample's thread
	 * @return the conversions, by type
	 * @throws IOException if the file cannot be read
	 */
	public Map<ProfileType, Conversion> convertAll(Path file, Set<ProfileType> types, Instant start, Duration duration,
			LabelAttribution attribution, Predicate<LabelSet> focus, boolean threadLabel) throws IOException {
		return convert(file, types, start, duration, false, attribution, focus, threadLabel);
	}

	private Map<ProfileType, Conversion> convert(Path file, Set<ProfileType> types, Instant from, Duration duration,
			boolean bounded, LabelAttribution attribution, Predicate<LabelSet> focus, boolean threadLabel)
			throws IOException {
		Instant until = from.plus(duration);
		Map<ProfileType, Counts> counts = new EnumMap<>(ProfileType.class);
		for (ProfileType type : types) {
			long period = (type == ProfileType.CPU) ? this.values.cpuInterval().toNanos() : 1;
			counts.put(type, new Counts(Profile.builder(type, from, period).maxStacks(this.maxStacks), period));
		}
		LiveBatch live = new LiveBatch();
		try (RecordingFile recordingFile = new RecordingFile(file)) {
			while (recordingFile.hasMoreEvents()) {
				RecordedEvent event = recordingFile.readEvent();
				ProfileType type = typeOf(event.getEventType().getName());
				Counts count = (type != null) ? counts.get(type) : null;
				if (count == null) {
					continue;
				}
				if (type == ProfileType.LIVE) {
					live.offer(event, from, bounded);
					continue;
				}
				Instant end = event.getEndTime();
				if (bounded && (end.isBefore(from) || !end.isBefore(until))) {
					continue;
				}
				RecordedThread thread = event.hasField("sampledThread") ? event.getThread("sampledThread")
						: event.getThread();
				RecordedStackTrace stack = event.getStackTrace();
				if (thread == null || stack == null) {
					continue;
				}
				if (type == ProfileType.LOCK && event.getEventType().getName().equals(THREAD_PARK)) {
					if (IdlePoolWaits.isCaptureWait(stack)) {
						continue;
					}
					if (!this.keepIdleWaits && IdlePoolWaits.isIdle(stack)) {
						count.idleWaits++;
						count.idleWaitNanos += event.getDuration().toNanos();
						continue;
					}
				}
				Frames frames = frames(stack);
				LabelSet labels = attribution.labelsAt(thread.getJavaThreadId(), event.getStartTime(),
						frames.lexicalDepth());
				add(count, frames, thread, labels, focus, threadLabel, values(type, event, count.period));
			}
		}
		Counts liveCounts = counts.get(ProfileType.LIVE);
		if (liveCounts != null) {
			addLive(live, liveCounts, attribution, focus, threadLabel);
		}
		Map<ProfileType, Conversion> conversions = new EnumMap<>(ProfileType.class);
		counts.forEach((type, count) -> {
			count.builder.note("Recorded with " + eventNames(type) + "; " + count.kept + " samples kept, "
					+ count.dropped + " outside the focus");
			if (count.truncated > 0) {
				count.builder.note(count.truncated + " samples had stacks deeper than JFR records (64 frames by "
						+ "default; raise it with -XX:FlightRecorderOptions:stackdepth=512); their roots are missing");
			}
			if (count.idleWaits > 0) {
				count.builder.note(count.idleWaits + " waits of idle pool workers for their next task ("
						+ Duration.ofNanos(count.idleWaitNanos).toMillis() + " ms in all) are left out: idleness, not "
						+ "contention; idle=true on /actuator/diag/profile keeps them");
			}
			conversions.put(type,
					new Conversion(count.builder.build(duration), count.kept, count.truncated, count.idleWaits));
		});
		return conversions;
	}

	private void add(Counts count, Frames frames, @Nullable RecordedThread thread, LabelSet threadLabels,
			Predicate<LabelSet> focus, boolean threadLabel, long[] values) {
		LabelSet labels = threadLabels;
		if (threadLabel && thread != null && thread.getJavaName() != null) {
			labels = labels.with(ProfileRecorder.THREAD, thread.getJavaName());
		}
		if (!focus.test(labels)) {
			count.dropped++;
			return;
		}
		if (frames.cutByJfr()) {
			count.truncated++;
		}
		count.builder.add(frames.stack(), labels, values);
		count.kept++;
	}

	/**
	 * Adds the newest batch of live objects: JFR writes the whole set of sampled objects
	 * still alive whenever a recording is dumped or stopped, each batch with one start time.
	 */
	private void addLive(LiveBatch live, Counts count, LabelAttribution attribution, Predicate<LabelSet> focus,
			boolean threadLabel) {
		int unlabelled = 0;
		for (RecordedEvent event : live.events) {
			RecordedThread thread = event.getThread();
			RecordedStackTrace stack = event.getStackTrace();
			if (stack == null) {
				continue;
			}
			Instant allocated = event.getInstant("allocationTime");
			Frames frames = frames(stack);
			LabelSet labels;
			if (thread == null || !attribution.knows(allocated)) {
				labels = UNLABELLED;
				unlabelled++;
			}
			else {
				labels = attribution.labelsAt(thread.getJavaThreadId(), allocated, frames.lexicalDepth());
			}
			long size = event.hasField("objectSize") ? event.getLong("objectSize") : 0;
			add(count, frames, thread, labels, focus, threadLabel, new long[] { 1, size });
		}
		if (live.batch != null) {
			count.builder.note("Objects sampled by JFR's old-object sampler as they were allocated and still alive at "
					+ live.batch + " (a sample of the heap, at most -XX:FlightRecorderOptions:old-object-queue-size "
					+ "objects, 256 by default)" + (live.events.isEmpty() || live.events.get(0).hasField("objectSize")
							? "" : "; this JDK does not record object sizes (JDK 18+ does), so inuse_space is 0"));
		}
		if (live.batch == null) {
			count.builder.note("JFR wrote no old-object samples: no object sampled so far has survived a garbage "
					+ "collection yet, or, on JDK 17, the sampler did not start (seen after another recording in the "
					+ "JVM that did not enable it); on JDK 17 start the JVM with "
					+ "-XX:StartFlightRecording:settings=none,+jdk.OldObjectSample#enabled=true");
		}
		if (unlabelled > 0) {
			count.builder.note(unlabelled + " objects were allocated before the oldest label change diagkit still "
					+ "knows and carry labels=unlabelled");
		}
	}

	private ProfileType typeOf(String eventName) {
		return switch (eventName) {
			case "jdk.ExecutionSample", CPU_TIME_SAMPLE -> ProfileType.CPU;
			case "jdk.ObjectAllocationSample" -> ProfileType.ALLOC;
			case "jdk.JavaMonitorEnter", THREAD_PARK -> ProfileType.LOCK;
			case OLD_OBJECT_SAMPLE -> ProfileType.LIVE;
			default -> null;
		};
	}

	private String eventNames(ProfileType type) {
		return switch (type) {
			case CPU -> this.cpuTime ? CPU_TIME_SAMPLE : "jdk.ExecutionSample";
			case ALLOC -> "jdk.ObjectAllocationSample";
			case LOCK -> "jdk.JavaMonitorEnter and jdk.ThreadPark";
			case LIVE -> OLD_OBJECT_SAMPLE;
		};
	}

	private static long[] values(ProfileType type, RecordedEvent event, long period) {
		return switch (type) {
			case CPU -> new long[] { 1, period };
			case ALLOC -> new long[] { 1, event.getLong("weight") };
			case LOCK -> new long[] { 1, event.getDuration().toNanos() };
			case LIVE -> throw new IllegalStateException("live objects are added by batch");
		};
	}

	private Frames frames(RecordedStackTrace trace) {
		List<RecordedFrame> recorded = trace.getFrames();
		int depth = Math.min(recorded.size(), MAX_STACK_DEPTH);
		List<StackFrame> stack = new ArrayList<>(depth);
		for (int i = 0; i < depth; i++) {
			RecordedFrame frame = recorded.get(i);
			String className = frame.getMethod().getType().getName();
			String methodName = frame.getMethod().getName();
			int line = Math.max(0, frame.getLineNumber());
			stack.add(this.frames.computeIfAbsent(new FrameKey(className, methodName, line),
					(key) -> new StackFrame(className, methodName, sourceFile(className), line)));
		}
		return new Frames(stack, trace.isTruncated(), recorded.size() > depth);
	}

	/** JFR does not record source files; the top-level class's name is the usual one. */
	private static String sourceFile(String className) {
		String simple = className.substring(className.lastIndexOf('.') + 1);
		int nested = simple.indexOf('$');
		return ((nested > 0) ? simple.substring(0, nested) : simple) + ".java";
	}

	/**
	 * A profile made from a JFR file, with what the profile itself does not say.
	 *
	 * @param profile the profile
	 * @param samples how many samples it kept
	 * @param truncated how many of those had stacks deeper than JFR recorded
	 * @param idleWaits how many waits of idle pool workers were left out of a lock profile
	 */
	public record Conversion(Profile profile, long samples, long truncated, long idleWaits) {
	}

	/** The newest batch of old-object samples seen so far. */
	private static final class LiveBatch {

		private final List<RecordedEvent> events = new ArrayList<>();

		private @Nullable Instant batch;

		void offer(RecordedEvent event, Instant from, boolean bounded) {
			Instant at = event.getStartTime();
			if (bounded && at.isBefore(from)) {
				return;
			}
			if (this.batch == null || at.isAfter(this.batch)) {
				this.batch = at;
				this.events.clear();
			}
			if (at.equals(this.batch)) {
				this.events.add(event);
			}
		}

	}

	/**
	 * A sample's frames, innermost first, as far as they were kept.
	 * @param stack the frames kept
	 * @param cutByJfr whether JFR recorded fewer frames than the stack had
	 * @param cutHere whether this converter kept fewer than JFR recorded
	 */
	private record Frames(List<StackFrame> stack, boolean cutByJfr, boolean cutHere) {

		/**
		 * How many lexical label scopes were open where the stack was taken: their frames on
		 * it. A stack cut short lost its outer frames, where these scopes usually are; it is
		 * taken to be inside every scope open since the last stamped change, since a deep stack
		 * is work inside a scope far more often than the few instructions after one ends.
		 */
		int lexicalDepth() {
			if (this.cutByJfr || this.cutHere) {
				return Integer.MAX_VALUE;
			}
			int depth = 0;
			for (StackFrame frame : this.stack) {
				if (LabelTimelines.isLexicalScopeFrame(frame.className(), frame.methodName())) {
					depth++;
				}
			}
			return depth;
		}

	}

	private record FrameKey(String className, String methodName, int line) {
	}

	private static final class Counts {

		private final Profile.Builder builder;

		private final long period;

		private long kept;

		private long dropped;

		private long truncated;

		private long idleWaits;

		private long idleWaitNanos;

		Counts(Profile.Builder builder, long period) {
			this.builder = builder;
			this.period = period;
		}

	}

}
