package dev.diagkit.labels;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

import dev.diagkit.testing.Waiting;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

class LabelRegistryTests {

	private LabelRegistry registry;

	private final CountDownLatch release = new CountDownLatch(1);

	@BeforeEach
	void open() {
		this.registry = new LabelRegistry(Duration.ofMillis(200));
	}

	@AfterEach
	void close() {
		this.release.countDown();
		this.registry.close();
	}

	@Test
	void reportsLabelledLiveThreadsWithSinceWhen() throws Exception {
		// the label clock's last tick may be up to one tick old
		Instant before = Instant.now().minusMillis(LabelClock.TICK_MILLIS + 50);
		Thread worker = holding(LabelSet.of("tenant", "acme"), "registry-test-acme", false);
		ThreadLabels entry = awaitEntry("registry-test-acme");
		assertThat(entry.labels()).isEqualTo(LabelSet.of("tenant", "acme"));
		assertThat(entry.threadId()).isEqualTo(worker.getId());
		assertThat(entry.since()).isNotNull().isAfter(before).isBefore(Instant.now().plusMillis(50));
		assertThat(entry.replacedAt()).isNull();
		assertThat(entry.stale()).isFalse();
		assertThat(entry.virtual()).isFalse();
	}

	@Test
	void flagsReplaceScopesOpenLongerThanTheStaleAge() throws Exception {
		holding(LabelSet.of("tenant", "leaky"), "registry-test-leak", true);
		holding(LabelSet.of("tenant", "scoped"), "registry-test-run", false);
		ThreadLabels leak = awaitEntry("registry-test-leak");
		assertThat(leak.replacedAt()).isNotNull();
		assertThat(leak.stale()).as("not yet past the stale age").isFalse();
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.registry.staleScopes()
				.stream()
				.anyMatch((entry) -> entry.threadName().equals("registry-test-leak")));
		assertThat(this.registry.staleScopes()).extracting(ThreadLabels::threadName)
			.doesNotContain("registry-test-run");
	}

	@Test
	void closedReplaceScopeIsNotStale() throws Exception {
		try (LabelScope scope = ProfilingLabels.replace(LabelSet.of("tenant", "brief"))) {
			assertThat(this.registry.threads()).extracting(ThreadLabels::threadName)
				.contains(Thread.currentThread().getName());
		}
		// twice the stale age, and never flagged meanwhile
		String name = Thread.currentThread().getName();
		await().during(Duration.ofMillis(400))
			.atMost(Duration.ofSeconds(5))
			.until(() -> this.registry.staleScopes().stream().noneMatch((entry) -> entry.threadName().equals(name)));
	}

	@Test
	void countsThreadsPerKeyAndValue() throws Exception {
		holding(LabelSet.of("tenant", "count-a", "endpoint", "GET /x"), "registry-test-c1", false);
		holding(LabelSet.of("tenant", "count-a"), "registry-test-c2", false);
		holding(LabelSet.of("tenant", "count-b"), "registry-test-c3", false);
		awaitEntry("registry-test-c3");
		awaitEntry("registry-test-c2");
		awaitEntry("registry-test-c1");
		assertThat(this.registry.activeCounts().get("tenant")).containsEntry("count-a", 2).containsEntry("count-b", 1);
	}

	@Test
	void endedThreadsDisappear() throws Exception {
		Thread worker = new Thread(() -> ProfilingLabels.replace(LabelSet.of("tenant", "gone")), "registry-test-ended");
		worker.start();
		worker.join();
		// the thread ended still carrying labels it never restored: the registry forgets it all the same
		assertThat(this.registry.threads()).extracting(ThreadLabels::threadName).doesNotContain("registry-test-ended");
	}

	@Test
	void clockThreadStopsWhenTheLastRegistryCloses() throws Exception {
		LabelRegistry second = new LabelRegistry(Duration.ofMinutes(1));
		second.close();
		assertThat(clockThreads()).isEqualTo(1);
		this.registry.close();
		assertThat(clockThreads()).isZero();
		ProfilingLabels.run(LabelSet.of("tenant", "untimed"), () -> {
		});
	}

	@Test
	void staleAgeMustBePositive() {
		assertThatIllegalArgumentException().isThrownBy(() -> new LabelRegistry(Duration.ZERO))
			.withMessageContaining("staleAfter must be positive");
	}

	private static long clockThreads() {
		return Thread.getAllStackTraces().keySet().stream()
			.filter((t) -> t.getName().equals("diagkit-label-clock") && t.isAlive())
			.count();
	}

	private Thread holding(LabelSet labels, String name, boolean replace) {
		Thread thread = new Thread(() -> {
			if (replace) {
				ProfilingLabels.replace(labels);
				Waiting.parkUntilReleased(this.release);
			}
			else {
				ProfilingLabels.run(labels, () -> Waiting.parkUntilReleased(this.release));
			}
		}, name);
		thread.setDaemon(true);
		thread.start();
		return thread;
	}

	private ThreadLabels awaitEntry(String threadName) {
		return await().atMost(Duration.ofSeconds(5))
			.until(() -> this.registry.threads()
				.stream()
				.filter((entry) -> entry.threadName().equals(threadName))
				.findFirst(), Optional::isPresent)
			.orElseThrow();
	}

}
