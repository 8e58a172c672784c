package dev.diagkit.trace;

import dev.diagkit.labels.LabelSet;
import dev.diagkit.web.RequestTasks;

import org.jspecify.annotations.Nullable;

/**
 * Starts a {@link DiagTask} for every request, named by the request's {@code endpoint} label
 * (such as {@code GET /orders/{id}}) and carrying its labels.
 */
public final class TraceRequestTasks implements RequestTasks {

	/** The label whose value names a request's task. */
	public static final String NAME_LABEL = "endpoint";

	@Override
	public Task start(@Nullable LabelSet labels, boolean bind) {
		DiagTask task = DiagTask.start(null, NAME_LABEL, labels, bind);
		return (task.id() != 0) ? new Started(task) : Task.NONE;
	}

	/** A request's task. */
	private record Started(DiagTask task) implements Task {

		@Override
		public long id() {
			return this.task.id();
		}

		@Override
		public void detach() {
			this.task.detach();
		}

		@Override
		public void close() {
			this.task.close();
		}

	}

}
