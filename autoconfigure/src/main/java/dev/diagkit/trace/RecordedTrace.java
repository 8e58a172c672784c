package dev.diagkit.trace;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.diagkit.labels.LabelSet;
import dev.diagkit.profiling.IdlePoolWaits;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

import org.jspecify.annotations.Nullable;

/**
 * What the analysis needs of a trace, read from its file in one pass and kept in compact
 * form: tasks and regions, garbage collections and the pause target, lock and park waits
 * (without idle pool workers waiting for work), CPU samples, timed method calls, and the
 * label intervals that slice them. Times are nanoseconds since the epoch.
 */
final class RecordedTrace {

	/** How many frames of a waiting thread's stack are kept as evidence. */
	static final int FRAMES_KEPT = 6;

	/**
	 * The most items of each kind kept (tasks, regions, samples…): about 100 bytes each, so a
	 * trace costs at most some tens of megabytes to analyse whatever its size.
	 */
	static final int MAX_ITEMS = 100_000;

	private int blockedCount;

	/** How many of a CPU sample's top frames are kept. */
	static final int SAMPLE_FRAMES = 3;

	private final Map<String, String> tops = new HashMap<>();

	final List<Task> tasks = new ArrayList<>();

	final List<Region> regions = new ArrayList<>();

	final List<Collection> collections = new ArrayList<>();

	final List<Wait> waits = new ArrayList<>();

	final List<Sample> samples = new ArrayList<>();

	final List<Call> calls = new ArrayList<>();

	final List<QueueWait> queueWaits = new ArrayList<>();

	/** Per thread, when it was blocked (on a socket read, a sleep, a lock…). */
	final Map<Long, List<Blocked>> blocked = new HashMap<>();

	final LabelIndex labels = new LabelIndex();

	@Nullable Duration pauseTarget;

	@Nullable String collector;

	long start = Long.MAX_VALUE;

	/**
	 * Events that ended before this are left out: a thread's buffer can hold events of an
	 * earlier recording, which JFR writes into the next one.
	 */
	private final long notBefore;

	/** How many of each kind of item were left out because the trace held more than can be kept. */
	final Map<String, Integer> dropped = new TreeMap<>();

	private final Map<String, String> names = new HashMap<>();

	private final Map<String, LabelSet> labelSets = new HashMap<>();

	private RecordedTrace(long notBefore) {
		this.notBefore = notBefore;
	}

	long end = Long.MIN_VALUE;

	/**
	 * Reads a trace.
	 * @param file the JFR file
	 * @param notBefore leaves out events that ended before this instant (nanoseconds since
	 * the epoch), or {@link Long#MIN_VALUE} to keep all
	 */
	static RecordedTrace read(Path file, long notBefore) throws IOException {
		RecordedTrace trace = new RecordedTrace(notBefore);
		try (RecordingFile recording = new RecordingFile(file)) {
			while (recording.hasMoreEvents()) {
				trace.add(recording.readEvent());
			}
		}
		trace.labels.build();
		return trace;
	}

	private void add(RecordedEvent event) {
		long at = nanos(event.getStartTime());
		long until = nanos(event.getEndTime());
		if (until < this.notBefore) {
			return;
		}
		// by ends: a wait that began before the recording (a thread parked for an hour) ends in it
		this.start = Math.min(this.start, Math.max(until, this.notBefore));
		this.end = Math.max(this.end, until);
		switch (event.getEventType().getName()) {
			case LabelIntervalEvent.NAME -> {
				if (room("labelIntervals", this.labels.size())) {
					this.labels.add(event.getLong("javaThreadId"), at - event.getLong("startedBefore"),
							event.getLong("length"), event.getBoolean("ongoing"), text(event, "labels"));
				}
			}
			case TaskEvent.NAME -> {
				if (room("tasks", this.tasks.size())) {
					RecordedThread started = event.getThread("startThread");
					this.tasks.add(new Task(event.getLong("id"), event.getLong("parentId"), name(text(event, "name")),
							labelSet(text(event, "labels")), at, until, threadId(event),
							(started != null) ? started.getJavaThreadId() : -1));
				}
			}
			case RegionEvent.NAME -> {
				if (room("regions", this.regions.size())) {
					this.regions.add(new Region(event.getLong("taskId"), name(text(event, "name")), at, until,
							threadId(event)));
				}
			}
			case "jdk.GarbageCollection" -> this.collections.add(new Collection(text(event, "name"), text(event, "cause"),
					at, until, event.getDuration("longestPause").toNanos(), event.getDuration("sumOfPauses").toNanos()));
			case "jdk.GCConfiguration" -> {
				Duration target = event.getDuration("pauseTarget");
				this.pauseTarget = (target.isNegative() || target.isZero() || target.toDays() > 1) ? null : target;
				this.collector = text(event, "oldCollector");
			}
			case "jdk.JavaMonitorEnter" -> {
				addWait(event, "monitorClass", "monitor", at, until);
				block(event, at, until);
			}
			case "jdk.ThreadPark" -> {
				RecordedStackTrace stack = event.getStackTrace();
				if (stack == null || (!IdlePoolWaits.isIdle(stack) && !IdlePoolWaits.isCaptureWait(stack))) {
					addWait(event, "parkedClass", "park", at, until);
					block(event, at, until);
				}
			}
			case "jdk.ExecutionSample", "jdk.CPUTimeSample" -> {
				RecordedThread sampled = event.getThread("sampledThread");
				if (sampled != null && room("cpuSamples", this.samples.size())) {
					this.samples.add(new Sample(sampled.getJavaThreadId(), at, top(event.getStackTrace())));
				}
			}
			case QueueWaitEvent.NAME -> {
				if (room("queueWaits", this.queueWaits.size())) {
					this.queueWaits.add(new QueueWait(name(text(event, "executor")), threadId(event), at,
							event.getLong("wait")));
				}
			}
			case "jdk.SocketRead", "jdk.SocketWrite", "jdk.FileRead", "jdk.FileWrite", "jdk.ThreadSleep",
					"jdk.JavaMonitorWait" -> block(event, at, until);
			case "jdk.MethodTrace" -> {
				RecordedMethod method = event.getValue("method");
				if (method != null && room("methodCalls", this.calls.size())) {
					this.calls.add(new Call(name(method.getType().getName() + "::" + method.getName()), threadId(event), at,
							until - at));
				}
			}
			default -> {
			}
		}
	}

	private void block(RecordedEvent event, long at, long until) {
		if (!room("blocked", this.blockedCount++)) {
			return;
		}
		String kind = event.getEventType().getName().substring("jdk.".length());
		this.blocked.computeIfAbsent(threadId(event), (id) -> new ArrayList<>()).add(new Blocked(kind, at, until));
	}

	/** Whether another item of a kind may be kept; counts it as dropped when not. */
	private boolean room(String kind, int held) {
		if (held < MAX_ITEMS) {
			return true;
		}
		this.dropped.merge(kind, 1, Integer::sum);
		return false;
	}

	private String name(String name) {
		return this.names.computeIfAbsent(name, (n) -> n);
	}

	private LabelSet labelSet(String text) {
		return this.labelSets.computeIfAbsent(text, LabelText::parse);
	}

	private void addWait(RecordedEvent event, String classField, String kind, long at, long until) {
		if (!room("waits", this.waits.size())) {
			return;
		}
		RecordedClass type = event.getClass(classField);
		String name = (type != null) ? type.getName() : "(unknown)";
		long address = event.hasField("address") ? event.getLong("address") : 0;
		this.waits.add(new Wait(kind, name, address, threadId(event), at, until - at, frames(event.getStackTrace())));
	}

	/** The top frames of a sample, leaf first, interned: most samples share a few. */
	private String top(@Nullable RecordedStackTrace stack) {
		if (stack == null || stack.getFrames().isEmpty()) {
			return "(no stack)";
		}
		StringBuilder top = new StringBuilder();
		int kept = 0;
		for (RecordedFrame frame : stack.getFrames()) {
			RecordedMethod method = frame.getMethod();
			if (method == null) {
				continue;
			}
			if (kept++ > 0) {
				top.append(" <- ");
			}
			String type = method.getType().getName();
			top.append(type.substring(type.lastIndexOf('.') + 1)).append('.').append(method.getName());
			if (kept == SAMPLE_FRAMES) {
				break;
			}
		}
		return this.tops.computeIfAbsent(top.toString(), (key) -> key);
	}

	private static List<String> frames(@Nullable RecordedStackTrace stack) {
		if (stack == null) {
			return List.of();
		}
		List<String> frames = new ArrayList<>(FRAMES_KEPT);
		for (RecordedFrame frame : stack.getFrames()) {
			if (frames.size() == FRAMES_KEPT) {
				break;
			}
			RecordedMethod method = frame.getMethod();
			if (method == null) {
				continue;
			}
			frames.add(method.getType().getName() + "." + method.getName() + ":" + frame.getLineNumber());
		}
		return frames;
	}

	private static long threadId(RecordedEvent event) {
		RecordedThread thread = event.getThread();
		return (thread != null) ? thread.getJavaThreadId() : -1;
	}

	private static String text(RecordedEvent event, String field) {
		String value = event.getString(field);
		return (value != null) ? value : "";
	}

	static long nanos(Instant instant) {
		return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
	}

	/** The recording's length. */
	long length() {
		return (this.end > this.start && this.start != Long.MAX_VALUE) ? this.end - this.start : 0;
	}

	/** A task: a {@code diagkit.Task}. */
	record Task(long id, long parentId, String name, LabelSet labels, long start, long end,
			long threadId, long startThreadId) {

		long duration() {
			return this.end - this.start;
		}

	}

	/** A region: a {@code diagkit.Region}. */
	record Region(long taskId, String name, long start, long end, long threadId) {
	}

	/** A garbage collection, with its longest pause and the sum of its pauses. */
	record Collection(String name, String cause, long start, long end, long longestPause, long sumOfPauses) {
	}

	/** A thread waiting to enter a monitor ({@code monitor}) or parked on a lock ({@code park}). */
	record Wait(String kind, String lockClass, long address, long threadId, long start, long duration,
			List<String> frames) {
	}

	/** A CPU sample of a thread, with its top frames (leaf first). */
	record Sample(long threadId, long at, String top) {
	}

	/**
	 * Per kind of blocking, how long a thread was blocked within the recording.
	 * @param threadId the thread
	 * @return nanoseconds by kind (such as {@code SocketRead}, {@code ThreadSleep})
	 */
	Map<String, Long> blockedWithin(long threadId) {
		Map<String, Long> kinds = new HashMap<>();
		for (Blocked blocked : this.blocked.getOrDefault(threadId, List.of())) {
			long from = Math.max(blocked.start(), this.start);
			long to = Math.min(blocked.end(), this.end);
			if (to > from) {
				kinds.merge(blocked.kind(), to - from, Long::sum);
			}
		}
		return kinds;
	}

	/** A stretch of time a thread was blocked. */
	record Blocked(String kind, long start, long end) {
	}

	/** A task that waited in an executor's queue, started by a worker. */
	record QueueWait(String executor, long threadId, long at, long waited) {
	}

	/** A timed call of a method. */
	record Call(String method, long threadId, long start, long duration) {
	}

}
