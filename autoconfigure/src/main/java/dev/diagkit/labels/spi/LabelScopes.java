package dev.diagkit.labels.spi;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

import dev.diagkit.labels.LabelScope;
import dev.diagkit.labels.LabelSet;
import dev.diagkit.labels.ProfilingLabels;

/**
 * Label scopes for integrations that cannot pass their work as a lambda: a servlet filter, a
 * handler interceptor whose scope opens in one callback and closes in another, an
 * observation handler, a context-propagation accessor. Not for application code, which uses
 * {@link ProfilingLabels#run}, {@link ProfilingLabels#call} and
 * {@link ProfilingLabels#replace}; this package is not part of diagkit's API and may change
 * in any release.
 * <p>
 * Each scope must be closed on the thread that opened it, in the reverse order of opening.
 */
public final class LabelScopes {

	// The scopes are opened by package-private methods of ProfilingLabels, so that its public
	// API stays run, call, replace, current and wrap; a private lookup, resolved once, reaches
	// them without making them public.
	private static final MethodHandle OPEN = handle("open", LabelScope.class);

	private static final MethodHandle OPEN_EXACTLY = handle("openExactly", LabelScope.class);

	private static final MethodHandle SWAP_SPAN = handle("swapSpan", LabelSet.class);

	private LabelScopes() {
	}

	/**
	 * Merges {@code labels} into the current thread's labels until the returned scope is
	 * closed: the scope form of {@link ProfilingLabels#run}.
	 * @param labels the labels to add
	 * @return the scope to close
	 */
	public static LabelScope open(LabelSet labels) {
		try {
			return (LabelScope) OPEN.invokeExact(labels);
		}
		catch (RuntimeException | Error ex) {
			throw ex;
		}
		catch (Throwable ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Runs the current thread under exactly {@code labels}, not merged with what it had,
	 * until the returned scope is closed: the scope form of
	 * {@link ProfilingLabels#wrap(LabelSet, Runnable)}, for frameworks that hand work to a
	 * thread (a request entering a server thread, a context snapshot restored on a worker).
	 * Closing it gives the thread back its own labels, or none when it only carried those
	 * inherited from the thread that created it. Unlike {@link ProfilingLabels#replace}, such
	 * a scope is never reported as stale.
	 * @param labels the labels
	 * @return the scope to close
	 */
	public static LabelScope openExactly(LabelSet labels) {
		try {
			return (LabelScope) OPEN_EXACTLY.invokeExact(labels);
		}
		catch (RuntimeException | Error ex) {
			throw ex;
		}
		catch (Throwable ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Lays the labels of the tracing span that just became current on this thread
	 * ({@code span_id} and the like) over the thread's own labels, replacing those of the span
	 * before, until the next call. They live apart from the labels scopes set: opening or
	 * closing a scope keeps them, and calling this never touches the others, so span scopes
	 * and label scopes may end in any order.
	 * @param spanLabels the span's labels, empty when no span is current any more
	 * @return the span labels replaced
	 */
	public static LabelSet swapSpan(LabelSet spanLabels) {
		try {
			return (LabelSet) SWAP_SPAN.invokeExact(spanLabels);
		}
		catch (RuntimeException | Error ex) {
			throw ex;
		}
		catch (Throwable ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static MethodHandle handle(String name, Class<?> returnType) {
		try {
			return MethodHandles.privateLookupIn(ProfilingLabels.class, MethodHandles.lookup())
				.findStatic(ProfilingLabels.class, name, MethodType.methodType(returnType, LabelSet.class));
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

}
