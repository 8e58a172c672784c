package dev.diagkit.web;

import dev.diagkit.labels.LabelSet;

import org.jspecify.annotations.Nullable;

/**
 * Starts the trace task of each request the request-labelling filters see, so that an
 * execution trace shows every request as one task, with the regions of all the threads that
 * worked for it. Implemented by the trace package; {@link #NONE} starts nothing.
 */
@FunctionalInterface
public interface RequestTasks {

	/** Starts no task. */
	RequestTasks NONE = (labels, bind) -> Task.NONE;

	/**
	 * Starts the task of a request.
	 * @param labels the request's labels, or {@code null} when the task should take those the
	 * thread carries as it ends (a servlet request, whose endpoint may be found later)
	 * @param bind whether the current thread works for the task until it ends
	 * @return the task, to end as the request leaves
	 */
	Task start(@Nullable LabelSet labels, boolean bind);

	/** A request's task. */
	interface Task extends AutoCloseable {

		/** A task that is not recorded. */
		Task NONE = new Task() {

			@Override
			public long id() {
				return 0;
			}

			@Override
			public void detach() {
			}

			@Override
			public void close() {
			}

		};

		/**
		 * Returns the task's id.
		 * @return the id, 0 when the task is not recorded
		 */
		long id();

		/**
		 * Lets the thread that started the task work for what it worked for before, without
		 * ending the task: a servlet request gone asynchronous leaves its thread, and ends
		 * later elsewhere. The task keeps the labels the thread carries now.
		 */
		void detach();

		/** Ends the task. */
		@Override
		void close();

	}

}
