package dev.diagkit.trace;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

import dev.diagkit.labels.spi.TaskIds;

/**
 * Annotations for execution traces, the counterpart of Go's {@code runtime/trace}
 * {@code NewTask}, {@code WithRegion} and {@code Log}: they become JFR events in the
 * {@code diagkit} category ({@code diagkit.Task}, {@code diagkit.Region},
 * {@code diagkit.Log}) that {@code /actuator/diag/trace} captures, {@code jfr print} and
 * JDK Mission Control read, and {@code /actuator/diag/analysis} explains.
 * <p>
 * While no recording wants them, a region costs the work it runs plus a few nanoseconds
 * and a task or log nothing more.
 */
public final class DiagTrace {

	private DiagTrace() {
	}

	/**
	 * Starts a task that the current thread, and the threads its work is handed to through
	 * diagkit's label propagation, work for until it is closed:
	 * <pre>{@code
	 * try (DiagTask task = DiagTrace.task("checkout")) {
	 *     ...
	 * }
	 * }</pre>
	 * A task started while the thread works for another is that task's child.
	 * @param name the task's name, which groups tasks in the analysis
	 * @return the task; close it on the thread that started it
	 */
	public static DiagTask task(String name) {
		Objects.requireNonNull(name, "name must not be null");
		return DiagTask.start(name, null, null, true);
	}

	/**
	 * Runs {@code work} as a region of the task the current thread works for.
	 * @param name the region's name
	 * @param work the work
	 */
	public static void region(String name, Runnable work) {
		Objects.requireNonNull(name, "name must not be null");
		RegionEvent event = new RegionEvent();
		if (!event.isEnabled()) {
			work.run();
			return;
		}
		event.begin();
		try {
			work.run();
		}
		finally {
			commit(event, name);
		}
	}

	/**
	 * Gets a value as a region of the task the current thread works for.
	 * @param <T> the result type
	 * @param name the region's name
	 * @param work the work
	 * @return what {@code work} returned
	 */
	public static <T> T region(String name, Supplier<T> work) {
		Objects.requireNonNull(name, "name must not be null");
		RegionEvent event = new RegionEvent();
		if (!event.isEnabled()) {
			return work.get();
		}
		event.begin();
		try {
			return work.get();
		}
		finally {
			commit(event, name);
		}
	}

	/**
	 * Calls {@code work}, which may throw checked exceptions, as a region of the task the
	 * current thread works for.
	 * @param <T> the result type
	 * @param name the region's name
	 * @param work the work
	 * @return what {@code work} returned
	 * @throws Exception what {@code work} threw
	 */
	public static <T> T regionChecked(String name, Callable<T> work) throws Exception {
		Objects.requireNonNull(name, "name must not be null");
		RegionEvent event = new RegionEvent();
		if (!event.isEnabled()) {
			return work.call();
		}
		event.begin();
		try {
			return work.call();
		}
		finally {
			commit(event, name);
		}
	}

	private static void commit(RegionEvent event, String name) {
		event.end();
		if (event.shouldCommit()) {
			event.taskId = TaskIds.current();
			event.name = name;
			event.commit();
		}
	}

	/**
	 * Writes a message into the trace, at this instant of the task the current thread works
	 * for.
	 * @param category what kind of message it is (the analysis groups by it)
	 * @param message the message
	 */
	public static void log(String category, String message) {
		LogEvent event = new LogEvent();
		if (event.shouldCommit()) {
			event.taskId = TaskIds.current();
			event.category = category;
			event.message = message;
			event.commit();
		}
	}

	/**
	 * Returns whether a recording running now wants task events: code that computes a task
	 * name or log message at some cost can skip it when none does.
	 * @return whether tasks are recorded
	 */
	public static boolean isEnabled() {
		return new TaskEvent().isEnabled();
	}

}
