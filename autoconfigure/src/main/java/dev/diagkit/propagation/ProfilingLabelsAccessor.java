package dev.diagkit.propagation;

import java.util.ArrayDeque;
import java.util.Deque;

import dev.diagkit.labels.LabelScope;
import dev.diagkit.labels.LabelSet;
import dev.diagkit.labels.ProfilingLabels;
import dev.diagkit.labels.spi.LabelScopes;
import io.micrometer.context.ThreadLocalAccessor;
import org.jspecify.annotations.Nullable;

/**
 * Lets Micrometer's context-propagation (and through it Reactor and
 * {@code ContextSnapshot}-based executors) carry profiling labels. Registered through
 * {@code META-INF/services}, so it is active whenever context-propagation is on the class
 * path, whatever diagkit's properties say.
 * <p>
 * Setting a value runs the thread under exactly those labels; restoring closes that scope,
 * which gives the thread back exactly what it had (its own labels, or none if they were
 * inherited), without the stale-scope bookkeeping of {@code replace}.
 */
public final class ProfilingLabelsAccessor implements ThreadLocalAccessor<LabelSet> {

	/** The key under which the labels travel in a context snapshot. */
	public static final String KEY = "diagkit.labels";

	private static final ThreadLocal<Deque<LabelScope>> SCOPES = ThreadLocal.withInitial(ArrayDeque::new);

	@Override
	public Object key() {
		return KEY;
	}

	@Override
	public @Nullable LabelSet getValue() {
		LabelSet labels = ProfilingLabels.current();
		return labels.isEmpty() ? null : labels;
	}

	@Override
	public void setValue(LabelSet value) {
		SCOPES.get().push(LabelScopes.openExactly(value));
	}

	@Override
	public void setValue() {
		setValue(LabelSet.empty());
	}

	@Override
	public void restore(LabelSet previousValue) {
		restore();
	}

	@Override
	public void restore() {
		Deque<LabelScope> scopes = SCOPES.get();
		LabelScope scope = scopes.poll();
		if (scope != null) {
			scope.close();
		}
		if (scopes.isEmpty()) {
			SCOPES.remove();
		}
	}

}
