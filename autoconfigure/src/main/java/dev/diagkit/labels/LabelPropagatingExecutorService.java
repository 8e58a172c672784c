package dev.diagkit.labels;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An executor service that runs each task under its submitter's labels; lifecycle calls go
 * straight to the delegate.
 */
final class LabelPropagatingExecutorService implements ExecutorService {

	private final ExecutorService delegate;

	LabelPropagatingExecutorService(ExecutorService delegate) {
		this.delegate = delegate;
	}

	private static <T> List<Callable<T>> wrapAll(Collection<? extends Callable<T>> tasks) {
		List<Callable<T>> wrapped = new ArrayList<>(tasks.size());
		for (Callable<T> task : tasks) {
			wrapped.add(ProfilingLabels.wrap(task));
		}
		return wrapped;
	}

	@Override
	public void execute(Runnable command) {
		this.delegate.execute(ProfilingLabels.wrap(command));
	}

	@Override
	public Future<?> submit(Runnable task) {
		return this.delegate.submit(ProfilingLabels.wrap(task));
	}

	@Override
	public <T> Future<T> submit(Runnable task, T result) {
		return this.delegate.submit(ProfilingLabels.wrap(task), result);
	}

	@Override
	public <T> Future<T> submit(Callable<T> task) {
		return this.delegate.submit(ProfilingLabels.wrap(task));
	}

	@Override
	public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
		return this.delegate.invokeAll(wrapAll(tasks));
	}

	@Override
	public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
			throws InterruptedException {
		return this.delegate.invokeAll(wrapAll(tasks), timeout, unit);
	}

	@Override
	public <T> T invokeAny(Collection<? extends Callable<T>> tasks) throws InterruptedException, ExecutionException {
		return this.delegate.invokeAny(wrapAll(tasks));
	}

	@Override
	public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
			throws InterruptedException, ExecutionException, TimeoutException {
		return this.delegate.invokeAny(wrapAll(tasks), timeout, unit);
	}

	@Override
	public void shutdown() {
		this.delegate.shutdown();
	}

	@Override
	public List<Runnable> shutdownNow() {
		return this.delegate.shutdownNow();
	}

	@Override
	public boolean isShutdown() {
		return this.delegate.isShutdown();
	}

	@Override
	public boolean isTerminated() {
		return this.delegate.isTerminated();
	}

	@Override
	public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
		return this.delegate.awaitTermination(timeout, unit);
	}

	@Override
	public String toString() {
		return "LabelPropagatingExecutorService[" + this.delegate + "]";
	}

}
