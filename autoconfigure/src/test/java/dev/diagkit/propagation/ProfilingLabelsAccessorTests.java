package dev.diagkit.propagation;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.diagkit.labels.LabelSet;
import dev.diagkit.labels.ProfilingLabels;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;

class ProfilingLabelsAccessorTests {

	@Test
	void isRegisteredThroughServiceLoader() {
		assertThat(ContextRegistry.getInstance().getThreadLocalAccessors())
			.anyMatch((accessor) -> accessor instanceof ProfilingLabelsAccessor);
	}

	@Test
	void contextSnapshotCarriesLabelsToAnotherThreadAndRestoresIt() throws Exception {
		ContextSnapshotFactory factory = ContextSnapshotFactory.builder().build();
		Runnable[] task = new Runnable[1];
		CompletableFuture<LabelSet> inside = new CompletableFuture<>();
		ProfilingLabels.run(LabelSet.of("tenant", "acme"), () -> {
			ContextSnapshot snapshot = factory.captureAll();
			Runnable work = () -> inside.complete(ProfilingLabels.current());
			task[0] = snapshot.wrap(work);
		});
		CompletableFuture<LabelSet> after = new CompletableFuture<>();
		Thread worker = new Thread(() -> ProfilingLabels.run(LabelSet.of("worker", "own"), () -> {
			task[0].run();
			after.complete(ProfilingLabels.current());
		}));
		worker.start();
		assertThat(inside.get(5, TimeUnit.SECONDS)).isEqualTo(LabelSet.of("tenant", "acme"));
		assertThat(after.get(5, TimeUnit.SECONDS)).isEqualTo(LabelSet.of("worker", "own"));
	}

	@Test
	void restoringGivesBackExactlyWhatTheThreadHadAndIsNeverStale() throws Exception {
		ProfilingLabelsAccessor accessor = new ProfilingLabelsAccessor();
		try (dev.diagkit.labels.LabelRegistry registry = new dev.diagkit.labels.LabelRegistry(Duration.ofMillis(1))) {
			ProfilingLabels.run(LabelSet.of("job", "sync"), () -> {
				accessor.setValue(LabelSet.of("tenant", "acme"));
				assertThat(ProfilingLabels.current()).isEqualTo(LabelSet.of("tenant", "acme"));
				accessor.setValue(LabelSet.of("tenant", "globex"));
				accessor.restore(LabelSet.of("tenant", "acme"));
				assertThat(ProfilingLabels.current()).isEqualTo(LabelSet.of("tenant", "acme"));
				sleep(20);
				assertThat(registry.staleScopes()).extracting(dev.diagkit.labels.ThreadLabels::threadName)
					.doesNotContain(Thread.currentThread().getName());
				accessor.restore();
				assertThat(ProfilingLabels.current()).isEqualTo(LabelSet.of("job", "sync"));
			});
		}
		assertThat(ProfilingLabels.current()).isEqualTo(LabelSet.empty());
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Test
	void reactorCarriesLabelsAcrossSchedulers() throws Exception {
		// start the scheduler's threads from an unlabelled thread, so that nothing is inherited
		Mono.fromCallable(ProfilingLabels::current).subscribeOn(Schedulers.boundedElastic()).block(Duration.ofSeconds(5));
		Mono.delay(Duration.ofMillis(1)).block(Duration.ofSeconds(5));
		Hooks.enableAutomaticContextPropagation();
		try {
			LabelSet seen = ProfilingLabels.call(LabelSet.of("tenant", "globex"),
					() -> Mono.delay(Duration.ofMillis(5))
						.publishOn(Schedulers.boundedElastic())
						.map((tick) -> ProfilingLabels.current())
						.contextCapture()
						.block(Duration.ofSeconds(5)));
			assertThat(seen).isEqualTo(LabelSet.of("tenant", "globex"));
		}
		finally {
			Hooks.disableAutomaticContextPropagation();
		}
	}

}
