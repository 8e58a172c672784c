package dev.diagkit.trace;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.diagkit.labels.LabelSet;
import dev.diagkit.labels.ProfilingLabels;
import dev.diagkit.labels.spi.TaskIds;

import org.jspecify.annotations.Nullable;

/**
 * A task of an execution trace, the counterpart of Go's {@code trace.Task}: a unit of work
 * (a request, a job) that may run on several threads. From {@link DiagTrace#task} to
 * {@link #close()}, the thread that started it works for it, and so does every thread the
 * work is handed to through diagkit's label propagation (wrapped executors, the task
 * decorator, context-propagation): {@link DiagTrace#region regions} and
 * {@link DiagTrace#log logs} there name it, and tasks started there name it as their parent.
 * <p>
 * A task is written to the trace as one {@code diagkit.Task} event when it ends. It is
 * recorded only when a JFR recording that wants that event was running as it started; while
 * none is, starting one costs a few nanoseconds and it has no id.
 */
public final class DiagTask implements AutoCloseable {

	private static final AtomicLong IDS = new AtomicLong();

	static final DiagTask NONE = new DiagTask();

	private final @Nullable TaskEvent event;

	private final long id;

	private final long parentId;

	private final @Nullable String name;

	private final @Nullable String nameLabel;

	private volatile LabelSet labels;

	private volatile boolean labelsGiven;

	private final @Nullable Thread owner;

	private final @Nullable Thread startThread;

	private final long previous;

	private final AtomicBoolean ended;

	private DiagTask() {
		this.event = null;
		this.id = 0;
		this.parentId = 0;
		this.name = "";
		this.nameLabel = null;
		this.labels = LabelSet.empty();
		this.labelsGiven = true;
		this.owner = null;
		this.startThread = null;
		this.previous = 0;
		this.ended = new AtomicBoolean(true);
	}

	private DiagTask(TaskEvent event, @Nullable String name, @Nullable String nameLabel, LabelSet labels,
			boolean labelsGiven, boolean bind) {
		this.event = event;
		this.ended = new AtomicBoolean();
		this.id = IDS.incrementAndGet();
		this.name = name;
		this.nameLabel = nameLabel;
		this.labels = labels;
		this.labelsGiven = labelsGiven;
		this.startThread = Thread.currentThread();
		if (bind) {
			this.owner = Thread.currentThread();
			this.previous = TaskIds.swap(this.id);
			this.parentId = this.previous;
		}
		else {
			this.owner = null;
			this.previous = 0;
			this.parentId = TaskIds.current();
		}
		event.begin();
	}

	/**
	 * Starts a task when a recording wants task events.
	 * @param name the task's name, or {@code null} to take it from a label as it ends
	 * @param nameLabel the label whose value names the task when {@code name} is
	 * {@code null}
	 * @param labels the task's labels, or {@code null} for those of the thread as the task
	 * ends (or as it started, when it ends on another thread)
	 * @param bind whether the current thread works for the task until it ends
	 */
	static DiagTask start(@Nullable String name, @Nullable String nameLabel, @Nullable LabelSet labels, boolean bind) {
		TaskEvent event = new TaskEvent();
		if (!event.isEnabled()) {
			return NONE;
		}
		return new DiagTask(event, name, nameLabel, (labels != null) ? labels : ProfilingLabels.current(),
				labels != null, bind);
	}

	/**
	 * Returns the task's id, unique in this JVM; the {@code taskId} of its regions and logs.
	 * @return the id, 0 when the task is not recorded
	 */
	public long id() {
		return this.id;
	}

	/**
	 * Returns the id of the task this one was started in.
	 * @return the id, 0 for none
	 */
	public long parentId() {
		return this.parentId;
	}

	/**
	 * Lets the thread that started the task work for what it worked for before, without
	 * ending the task, which keeps the labels the thread carries now.
	 */
	void detach() {
		if (this.ended.get() || this.owner != Thread.currentThread()) {
			return;
		}
		// unconditionally: a task started inside and left open must not stay on the thread
		TaskIds.swap(this.previous);
		if (!this.labelsGiven) {
			this.labels = this.labels.with(ProfilingLabels.current());
			this.labelsGiven = true;
		}
	}

	/**
	 * Ends the task: writes its event, and the thread that started it, when it ends there,
	 * works for the task it worked for before (also when a task started inside this one was
	 * left open). Ending a task twice, from any threads, does nothing.
	 */
	@Override
	public void close() {
		TaskEvent event = this.event;
		if (event == null || !this.ended.compareAndSet(false, true)) {
			return;
		}
		boolean onOwner = this.owner == Thread.currentThread();
		if (onOwner) {
			// unconditionally: a task started inside and left open must not stay on the thread
			TaskIds.swap(this.previous);
		}
		event.end();
		if (event.shouldCommit()) {
			// on its own thread, the labels it started with and those found since (a request's
			// endpoint, say)
			LabelSet labels = (onOwner && !this.labelsGiven) ? this.labels.with(ProfilingLabels.current())
					: this.labels;
			event.id = this.id;
			event.parentId = this.parentId;
			event.name = name(labels);
			event.labels = LabelText.format(labels);
			event.startThread = this.startThread;
			event.commit();
		}
	}

	private String name(LabelSet labels) {
		if (this.name != null) {
			return this.name;
		}
		String value = (this.nameLabel != null) ? labels.get(this.nameLabel) : null;
		return (value != null) ? value : "task";
	}

	@Override
	public String toString() {
		return "DiagTask[id=" + this.id + ", parentId=" + this.parentId + "]";
	}

}
