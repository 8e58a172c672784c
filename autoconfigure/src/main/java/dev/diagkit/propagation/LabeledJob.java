package dev.diagkit.propagation;

import java.util.Objects;

import dev.diagkit.labels.LabelSet;
import dev.diagkit.labels.ProfilingLabels;

/**
 * Work handed over through a queue or channel together with the labels it belongs to. Labels
 * do not follow a value through a queue by themselves (as in Go, where they do not cross a
 * channel): capture them on the producing side, and {@link #run()} applies them on the
 * consuming side.
 */
public final class LabeledJob implements Runnable {

	private final LabelSet labels;

	private final Runnable work;

	private final Runnable bound;

	private LabeledJob(LabelSet labels, Runnable work) {
		this.labels = Objects.requireNonNull(labels, "labels must not be null");
		this.work = Objects.requireNonNull(work, "work must not be null");
		this.bound = ProfilingLabels.wrap(labels, work);
	}

	/**
	 * Returns a job that runs {@code work} under the current thread's labels.
	 * @param work the work
	 * @return the job
	 */
	public static LabeledJob capture(Runnable work) {
		return new LabeledJob(ProfilingLabels.current(), work);
	}

	/**
	 * Returns a job that runs {@code work} under {@code labels}.
	 * @param labels the labels
	 * @param work the work
	 * @return the job
	 */
	public static LabeledJob of(LabelSet labels, Runnable work) {
		return new LabeledJob(labels, work);
	}

	/**
	 * Returns the labels the job runs under.
	 * @return the labels
	 */
	public LabelSet labels() {
		return this.labels;
	}

	/**
	 * Runs the work under exactly the job's labels, then restores the thread's own.
	 */
	@Override
	public void run() {
		this.bound.run();
	}

	@Override
	public String toString() {
		return "LabeledJob" + this.labels + "[" + this.work + "]";
	}

}
