package dev.diagkit.labels;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Labels on virtual threads (JDK 21+); the API is reached reflectively because the project
 * compiles for Java 17. They run when the build runs on a JDK 21+ (the {@code jdk21} profile).
 */
@Tag("jdk21")
@EnabledForJreRange(min = JRE.JAVA_21)
class VirtualThreadLabelsTests {

	private static final LabelSet ACME = LabelSet.of("tenant", "acme");

	@Test
	void virtualThreadStartedFromLabelledThreadInheritsLabels() throws Exception {
		CompletableFuture<LabelSet> seen = new CompletableFuture<>();
		ProfilingLabels.call(ACME, () -> startVirtualThread(() -> seen.complete(ProfilingLabels.current())));
		assertThat(seen.get(5, TimeUnit.SECONDS)).isEqualTo(ACME);
	}

	@Test
	void wrappedVirtualThreadPerTaskExecutorPropagatesSubmitterLabels() throws Exception {
		ExecutorService executor = ProfilingLabels.wrap(newVirtualThreadPerTaskExecutor());
		try {
			for (String tenant : new String[] { "acme", "globex" }) {
				LabelSet labels = LabelSet.of("tenant", tenant);
				assertThat(ProfilingLabels.call(labels, () -> executor.submit(ProfilingLabels::current).get()))
					.isEqualTo(labels);
			}
		}
		finally {
			executor.shutdown();
			assertThat(executor.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
		}
	}

	@Test
	void registryReportsVirtualThreads() throws Exception {
		try (LabelRegistry registry = new LabelRegistry(Duration.ofMinutes(1))) {
			CountDownLatch labelled = new CountDownLatch(1);
			CountDownLatch release = new CountDownLatch(1);
			Thread thread = startVirtualThread(() -> ProfilingLabels.run(LabelSet.of("tenant", "virtual"), () -> {
				labelled.countDown();
				await(release);
			}));
			assertThat(labelled.await(5, TimeUnit.SECONDS)).isTrue();
			assertThat(registry.threads()).filteredOn((t) -> t.threadId() == thread.getId())
				.singleElement()
				.satisfies((t) -> {
					assertThat(t.virtual()).isTrue();
					assertThat(t.labels()).isEqualTo(LabelSet.of("tenant", "virtual"));
				});
			release.countDown();
			thread.join(5000);
		}
	}

	private static Thread startVirtualThread(Runnable task) throws ReflectiveOperationException {
		return (Thread) Thread.class.getMethod("startVirtualThread", Runnable.class).invoke(null, task);
	}

	private static ExecutorService newVirtualThreadPerTaskExecutor() throws ReflectiveOperationException {
		return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
