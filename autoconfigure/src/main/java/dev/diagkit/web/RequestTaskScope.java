package dev.diagkit.web;

import dev.diagkit.labels.spi.TaskIds;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Runs a servlet request's dispatches as one trace task: the first dispatch starts it, a
 * request gone asynchronous hands it to the dispatches that follow, and it ends when the
 * request completes.
 */
final class RequestTaskScope {

	private static final String ATTRIBUTE = RequestTaskScope.class.getName();

	private RequestTaskScope() {
	}

	/**
	 * Makes the current thread work for the request's task, started here on its first
	 * dispatch; {@link #leave} must follow on every path.
	 */
	static RequestTasks.Task enter(RequestTasks tasks, HttpServletRequest request, DispatcherType dispatch) {
		if (tasks == RequestTasks.NONE) {
			return RequestTasks.Task.NONE;
		}
		if (dispatch == DispatcherType.REQUEST) {
			return tasks.start(null, true);
		}
		Object held = request.getAttribute(ATTRIBUTE);
		return (held instanceof RequestTasks.Task task) ? new Rejoined(task, TaskIds.swap(task.id()))
				: RequestTasks.Task.NONE;
	}

	/**
	 * Ends the task as its first dispatch leaves, or, when the request went asynchronous,
	 * hands it to the dispatches that follow and ends it when the request completes.
	 */
	static void leave(RequestTasks.Task task, HttpServletRequest request, DispatcherType dispatch) {
		if (task.id() == 0) {
			return;
		}
		if (dispatch != DispatcherType.REQUEST) {
			task.detach();
			return;
		}
		if (request.isAsyncStarted()) {
			task.detach();
			request.setAttribute(ATTRIBUTE, task);
			request.getAsyncContext().addListener(new Ender(task));
		}
		else {
			task.close();
		}
	}

	/** A later dispatch's hold on the task: gives the thread back its own task as it leaves. */
	private record Rejoined(RequestTasks.Task task, long previous) implements RequestTasks.Task {

		@Override
		public long id() {
			return this.task.id();
		}

		@Override
		public void detach() {
			TaskIds.swap(this.previous);
		}

		@Override
		public void close() {
			detach();
		}

	}

	/** Ends the task when the asynchronous request completes, however it does. */
	private record Ender(RequestTasks.Task task) implements AsyncListener {

		@Override
		public void onComplete(AsyncEvent event) {
			this.task.close();
		}

		@Override
		public void onTimeout(AsyncEvent event) {
		}

		@Override
		public void onError(AsyncEvent event) {
		}

		@Override
		public void onStartAsync(AsyncEvent event) {
			event.getAsyncContext().addListener(this);
		}

	}

}
