package dev.diagkit.labels;

import java.util.concurrent.Callable;

/**
 * A task with a result, bound to the labels it runs under.
 */
final class LabeledCallable<T> implements Callable<T> {

	private final LabelSet labels;

	private final long task;

	private final Callable<T> work;

	LabeledCallable(LabelSet labels, long task, Callable<T> work) {
		this.labels = labels;
		this.task = task;
		this.work = work;
	}

	@Override
	public T call() throws Exception {
		return ProfilingLabels.callExactly(this.labels, this.task, this.work);
	}

	@Override
	public String toString() {
		return this.work + " " + this.labels;
	}

}
