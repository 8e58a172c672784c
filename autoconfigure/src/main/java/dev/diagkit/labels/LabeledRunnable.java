package dev.diagkit.labels;

/**
 * A task bound to the labels it runs under.
 */
final class LabeledRunnable implements Runnable {

	private final LabelSet labels;

	private final long task;

	private final Runnable work;

	LabeledRunnable(LabelSet labels, long task, Runnable work) {
		this.labels = labels;
		this.task = task;
		this.work = work;
	}

	LabelSet labels() {
		return this.labels;
	}

	@Override
	public void run() {
		ProfilingLabels.runExactly(this.labels, this.task, this.work);
	}

	@Override
	public String toString() {
		return this.work + " " + this.labels;
	}

}
