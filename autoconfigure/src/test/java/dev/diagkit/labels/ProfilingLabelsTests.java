package dev.diagkit.labels;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class ProfilingLabelsTests {

	private static final LabelSet ACME = LabelSet.of("tenant", "acme");

	private static final LabelSet GLOBEX = LabelSet.of("tenant", "globex");

	private ExecutorService pool;

	@AfterEach
	void shutdown() throws InterruptedException {
		if (this.pool != null) {
			this.pool.shutdownNow();
			this.pool.awaitTermination(5, TimeUnit.SECONDS);
		}
		assertThat(ProfilingLabels.current()).as("test left labels on its thread").isEqualTo(LabelSet.empty());
	}

	@Test
	void currentIsEmptyOnAFreshThread() throws Exception {
		assertThat(onNewThread(ProfilingLabels::current)).isEqualTo(LabelSet.empty());
	}

	@Test
	void runMergesAndRestores() {
		AtomicReference<LabelSet> inner = new AtomicReference<>();
		ProfilingLabels.run(ACME, () -> ProfilingLabels.run(LabelSet.of("endpoint", "GET /x"),
				() -> inner.set(ProfilingLabels.current())));
		assertThat(inner.get()).isEqualTo(LabelSet.of("tenant", "acme", "endpoint", "GET /x"));
		assertThat(ProfilingLabels.current()).isEqualTo(LabelSet.empty());
	}

	@Test
	void nestedScopesRestoreEachLevel() {
		ProfilingLabels.run(ACME, () -> {
			ProfilingLabels.run(GLOBEX, () -> assertThat(ProfilingLabels.current()).isEqualTo(GLOBEX));
			assertThat(ProfilingLabels.current()).isEqualTo(ACME);
		});
	}

	@Test
	void runRestoresWhenWorkThrows() {
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> ProfilingLabels.run(ACME, () -> {
			throw new IllegalStateException("boom");
		}));
		assertThat(ProfilingLabels.current()).isEqualTo(LabelSet.empty());
	}

	@Test
	void callReturnsAndRestoresWhenWorkThrows() throws Exception {
		assertThat(ProfilingLabels.call(ACME, () -> ProfilingLabels.current().get("tenant"))).isEqualTo("acme");
		assertThatExceptionOfType(java.io.IOException.class).isThrownBy(() -> ProfilingLabels.call(ACME, () -> {
			throw new java.io.IOException("io");
		}));
		assertThat(ProfilingLabels.current()).isEqualTo(LabelSet.empty());
	}

	@Test
	void replaceDoesNotMergeAndCloseRestores() {
		ProfilingLabels.run(LabelSet.of("tenant", "acme", "endpoint", "GET /x"), () -> {
			try (LabelScope scope = ProfilingLabels.replace(LabelSet.of("job", "sync"))) {
				assertThat(ProfilingLabels.current()).isEqualTo(LabelSet.of("job", "sync"));
				assertThat(scope.previous().get("tenant")).isEqualTo("acme");
			}
			assertThat(ProfilingLabels.current()).isEqualTo(LabelSet.of("tenant", "acme", "endpoint", "GET /x"));
		});
	}

	@Test
	void openMergesUntilClosedAndDoubleCloseIsHarmless() {
		LabelScope outer = ProfilingLabels.open(ACME);
		LabelScope inner = ProfilingLabels.open(LabelSet.of("job", "x"));
		assertThat(ProfilingLabels.current()).isEqualTo(LabelSet.of("tenant", "acme", "job", "x"));
		inner.close();
		inner.close();
		assertThat(ProfilingLabels.current()).isEqualTo(ACME);
		outer.close();
	}

	@Test
	void scopeClosedOnAnotherThreadIsRejected() throws Exception {
		LabelScope scope = ProfilingLabels.replace(ACME);
		try {
			CompletableFuture<Void> closing = CompletableFuture.runAsync(scope::close);
			assertThatExceptionOfType(java.util.concurrent.ExecutionException.class).isThrownBy(closing::get)
				.havingCause()
				.isInstanceOf(IllegalStateException.class)
				.withMessageContaining("must be closed on the thread that opened it");
		}
		finally {
			scope.close();
		}
	}

	@Test
	void runLeavesNoLeakedReplaceBehind() {
		ProfilingLabels.run(ACME, () -> ProfilingLabels.replace(GLOBEX));
		assertThat(ProfilingLabels.current()).isEqualTo(LabelSet.empty());
	}

	@Test
	void threadStartedFromLabelledThreadInheritsLabels() throws Exception {
		AtomicReference<LabelSet> seen = new AtomicReference<>();
		ProfilingLabels.run(ACME, () -> {
			Thread child = new Thread(() -> seen.set(ProfilingLabels.current()));
			child.start();
			join(child);
		});
		assertThat(seen.get()).isEqualTo(ACME);
	}

	@Test
	void wrapRunsUnderSubmitterLabelsExactlyAndRestoresWorker() throws Exception {
		this.pool = Executors.newSingleThreadExecutor();
		LabelSet workerOwn = LabelSet.of("worker", "own");
		Runnable task = ProfilingLabels.call(ACME, () -> ProfilingLabels.wrap(() -> {
			assertThat(ProfilingLabels.current()).isEqualTo(ACME);
		}));
		AtomicReference<LabelSet> after = new AtomicReference<>();
		this.pool.submit(() -> ProfilingLabels.run(workerOwn, () -> {
			task.run();
			after.set(ProfilingLabels.current());
		})).get();
		assertThat(after.get()).isEqualTo(workerOwn);
	}

	@Test
	void poolWorkerCreatedDuringLabelledWorkDropsInheritedLabelsAfterItsFirstTask() throws Exception {
		ExecutorService raw = Executors.newSingleThreadExecutor();
		this.pool = ProfilingLabels.wrap(raw);
		// the worker thread is created here, on a labelled thread, and inherits acme
		LabelSet inFirst = ProfilingLabels.call(ACME, () -> this.pool.submit(ProfilingLabels::current).get());
		assertThat(inFirst).isEqualTo(ACME);
		// an unwrapped task on the same worker: the worker must not still carry acme
		assertThat(raw.submit(ProfilingLabels::current).get()).isEqualTo(LabelSet.empty());
		LabelSet inSecond = ProfilingLabels.call(GLOBEX, () -> this.pool.submit(ProfilingLabels::current).get());
		assertThat(inSecond).isEqualTo(GLOBEX);
		assertThat(raw.submit(ProfilingLabels::current).get()).isEqualTo(LabelSet.empty());
	}

	@Test
	void nestedWrappedTaskOnAnInheritingWorkerGivesBackTheOuterTaskLabels() throws Exception {
		this.pool = Executors.newSingleThreadExecutor();
		Runnable check = () -> assertThat(ProfilingLabels.current()).isEqualTo(GLOBEX);
		Runnable inner = ProfilingLabels.wrap(GLOBEX, check);
		// the worker is created by this labelled submission and inherits acme
		LabelSet afterInner = ProfilingLabels.call(ACME, () -> this.pool.submit(ProfilingLabels.wrap(() -> {
			inner.run();
			return ProfilingLabels.current();
		})).get());
		assertThat(afterInner).isEqualTo(ACME);
	}

	@Test
	void openExactlyIgnoresWhatTheThreadHadAndDropsInheritedLabelsOnClose() throws Exception {
		LabelSet request = LabelSet.of("method", "GET");
		LabelSet[] seen = ProfilingLabels.call(ACME, () -> onNewThread(() -> {
			LabelSet inherited = ProfilingLabels.current();
			LabelSet during;
			try (LabelScope scope = ProfilingLabels.openExactly(request)) {
				during = ProfilingLabels.current();
			}
			return new LabelSet[] { inherited, during, ProfilingLabels.current() };
		}));
		assertThat(seen[0]).isEqualTo(ACME);
		assertThat(seen[1]).isEqualTo(request);
		assertThat(seen[2]).as("a server thread keeps nothing it inherited").isEqualTo(LabelSet.empty());
		ProfilingLabels.run(GLOBEX, () -> {
			try (LabelScope scope = ProfilingLabels.openExactly(request)) {
				assertThat(ProfilingLabels.current()).isEqualTo(request);
			}
			assertThat(ProfilingLabels.current()).as("own labels come back").isEqualTo(GLOBEX);
		});
	}

	@Test
	void wrappedExecutorServicePropagatesThroughEverySubmissionPath() throws Exception {
		this.pool = ProfilingLabels.wrap(Executors.newFixedThreadPool(2));
		ProfilingLabels.call(ACME, () -> {
			assertThat(this.pool.submit(ProfilingLabels::current).get()).isEqualTo(ACME);
			AtomicReference<LabelSet> seen = new AtomicReference<>();
			this.pool.submit(() -> seen.set(ProfilingLabels.current())).get();
			assertThat(seen.get()).isEqualTo(ACME);
			assertThat(this.pool.submit(() -> seen.set(ProfilingLabels.current()), "done").get()).isEqualTo("done");
			List<Callable<LabelSet>> tasks = List.of(ProfilingLabels::current, ProfilingLabels::current);
			for (Future<LabelSet> f : this.pool.invokeAll(tasks)) {
				assertThat(f.get()).isEqualTo(ACME);
			}
			assertThat(this.pool.invokeAny(tasks)).isEqualTo(ACME);
			CompletableFuture<LabelSet> viaExecute = new CompletableFuture<>();
			this.pool.execute(() -> viaExecute.complete(ProfilingLabels.current()));
			assertThat(viaExecute.get(5, TimeUnit.SECONDS)).isEqualTo(ACME);
			return null;
		});
		assertThat(ProfilingLabels.wrap(this.pool)).isSameAs(this.pool);
		this.pool.shutdown();
		assertThat(this.pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
		assertThat(this.pool.isTerminated()).isTrue();
	}

	@Test
	void wrappedPlainExecutorPropagates() throws Exception {
		CompletableFuture<LabelSet> seen = new CompletableFuture<>();
		java.util.concurrent.Executor direct = (r) -> new Thread(ProfilingLabels.wrap(LabelSet.empty(), r)).start();
		java.util.concurrent.Executor wrapped = ProfilingLabels.wrap(direct);
		ProfilingLabels.run(ACME, () -> wrapped.execute(() -> seen.complete(ProfilingLabels.current())));
		assertThat(seen.get(5, TimeUnit.SECONDS)).isEqualTo(ACME);
	}

	@Test
	void wrapRestoresWorkerLabelsWhenTaskThrows() throws Exception {
		Runnable task = () -> {
			throw new IllegalStateException("task failed");
		};
		Runnable failing = ProfilingLabels.wrap(ACME, task);
		LabelSet after = onNewThread(() -> ProfilingLabels.call(GLOBEX, () -> {
			try {
				failing.run();
			}
			catch (IllegalStateException ex) {
				// expected
			}
			return ProfilingLabels.current();
		}));
		assertThat(after).isEqualTo(GLOBEX);
	}

	@Test
	void labelsDoNotReachAThreadThatAlreadyExistedWithoutWrapping() throws Exception {
		this.pool = Executors.newSingleThreadExecutor();
		this.pool.submit(() -> null).get();
		LabelSet seen = ProfilingLabels.call(ACME, () -> this.pool.submit(ProfilingLabels::current).get());
		assertThat(seen).isEqualTo(LabelSet.empty());
	}

	private static <T> T onNewThread(Callable<T> work) throws Exception {
		CompletableFuture<T> result = new CompletableFuture<>();
		Thread thread = new Thread(() -> {
			try {
				result.complete(work.call());
			}
			catch (Throwable ex) {
				result.completeExceptionally(ex);
			}
		});
		thread.start();
		return result.get(10, TimeUnit.SECONDS);
	}

	private static void join(Thread thread) {
		try {
			thread.join(10_000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
