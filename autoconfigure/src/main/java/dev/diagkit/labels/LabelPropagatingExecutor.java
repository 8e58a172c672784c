package dev.diagkit.labels;

import java.util.concurrent.Executor;

/**
 * An executor that runs each task under its submitter's labels.
 */
final class LabelPropagatingExecutor implements Executor {

	private final Executor delegate;

	LabelPropagatingExecutor(Executor delegate) {
		this.delegate = delegate;
	}

	@Override
	public void execute(Runnable command) {
		this.delegate.execute(ProfilingLabels.wrap(command));
	}

	@Override
	public String toString() {
		return "LabelPropagatingExecutor[" + this.delegate + "]";
	}

}
