package dev.diagkit.propagation;

import dev.diagkit.labels.LabelSet;
import dev.diagkit.labels.ProfilingLabels;
import io.micrometer.context.ThreadLocalAccessor;
import org.jspecify.annotations.Nullable;

/**
 * Lets Micrometer's context-propagation (and through it Reactor and
 * {@code ContextSnapshot}-based executors) carry profiling labels. Registered through
 * {@code META-INF/services}, so it is active whenever context-propagation is on the class
 * path.
 */
public final class ProfilingLabelsAccessor implements ThreadLocalAccessor<LabelSet> {

	/** The key under which the labels travel in a context snapshot. */
	public static final String KEY = "diagkit.labels";

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
		// context-propagation restores what it set through restore(), which lands here too
		ProfilingLabels.replace(value);
	}

	@Override
	public void setValue() {
		ProfilingLabels.replace(LabelSet.empty());
	}

}
