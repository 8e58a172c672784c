package dev.diagkit.propagation;

import dev.diagkit.labels.spi.TaskIds;
import io.micrometer.context.ThreadLocalAccessor;

import org.jspecify.annotations.Nullable;

/**
 * Lets Micrometer's context-propagation (and through it Reactor) carry the trace task a
 * thread works for, so that a reactive request's regions on any scheduler thread name the
 * request's task. Registered through {@code META-INF/services}, beside
 * {@link ProfilingLabelsAccessor}.
 */
public final class TraceTaskAccessor implements ThreadLocalAccessor<Long> {

	/** The key under which the task's id travels in a context snapshot. */
	public static final String KEY = "diagkit.trace.task";

	@Override
	public Object key() {
		return KEY;
	}

	@Override
	public @Nullable Long getValue() {
		long task = TaskIds.current();
		return (task != 0) ? task : null;
	}

	@Override
	public void setValue(Long value) {
		TaskIds.swap(value);
	}

	@Override
	public void setValue() {
		TaskIds.swap(0);
	}

	@Override
	public void restore(Long previousValue) {
		TaskIds.swap(previousValue);
	}

	@Override
	public void restore() {
		TaskIds.swap(0);
	}

}
