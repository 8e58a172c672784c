package dev.diagkit.trace;

import dev.diagkit.runtime.QueueWaitRecorder;

/**
 * Writes every queue wait diagkit times (the executors its decorators and wrappers cover) as
 * a {@code diagkit.QueueWait} event while a recording wants them, so that a trace shows which
 * pools keep tasks waiting. While none does, a wait costs one check.
 */
public final class QueueWaitEvents {

	private QueueWaitEvents() {
	}

	/**
	 * Starts writing the waits {@code recorder} measures.
	 * @param recorder the queue waits of the application's executors
	 */
	public static void observe(QueueWaitRecorder recorder) {
		recorder.observe((executor) -> (nanos) -> {
			QueueWaitEvent event = new QueueWaitEvent();
			if (event.shouldCommit()) {
				event.executor = executor;
				event.wait = nanos;
				event.commit();
			}
		});
	}

}
