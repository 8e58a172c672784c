package dev.diagkit.labels.spi;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

import dev.diagkit.labels.ProfilingLabels;

/**
 * The id of the trace task a thread works for, kept beside its labels so that whatever
 * carries the labels to another thread ({@link ProfilingLabels#wrap}, the executors and
 * decorators built on it) carries the task too. For the trace package and integrations
 * that restore a context on a worker; not part of diagkit's API and may change in any
 * release.
 */
public final class TaskIds {

	private static final MethodHandle CURRENT = handle("task", MethodType.methodType(long.class));

	private static final MethodHandle SWAP = handle("swapTask", MethodType.methodType(long.class, long.class));

	private TaskIds() {
	}

	/**
	 * Returns the id of the task the current thread works for.
	 * @return the id, 0 for none
	 */
	public static long current() {
		try {
			return (long) CURRENT.invokeExact();
		}
		catch (RuntimeException | Error ex) {
			throw ex;
		}
		catch (Throwable ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Makes the current thread work for a task until the next call, which should put back
	 * the id returned here.
	 * @param task the task's id, 0 for none
	 * @return the id it replaced
	 */
	public static long swap(long task) {
		try {
			return (long) SWAP.invokeExact(task);
		}
		catch (RuntimeException | Error ex) {
			throw ex;
		}
		catch (Throwable ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static MethodHandle handle(String name, MethodType type) {
		try {
			return MethodHandles.privateLookupIn(ProfilingLabels.class, MethodHandles.lookup())
				.findStatic(ProfilingLabels.class, name, type);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

}
