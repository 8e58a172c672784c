package dev.diagkit.propagation;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import dev.diagkit.labels.LabelRegistry;
import dev.diagkit.labels.LabelScope;
import dev.diagkit.labels.LabelSet;
import dev.diagkit.labels.ProfilingLabels;
import dev.diagkit.labels.ThreadLabels;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ProfilingLabelsAccessorTests {

	@Test
	void isRegisteredThroughServiceLoader() {
		assertThat(ContextRegistry.getInstance().getThreadLocalAccessors())
			.anyMatch((accessor) -> accessor instanceof ProfilingLabelsAccessor);
	}

	@Test
	void contextSnapshotCarriesLabelsToAnotherThreadAndRestoresIt() throws Exception {
		ContextSnapshotFactory factory = ContextSnapshotFactory.builder().build();
		AtomicReference<Runnable> task = new AtomicReference<>();
		CompletableFuture<LabelSet> inside = new CompletableFuture<>();
		ProfilingLabels.run(LabelSet.of("tenant", "acme"), () -> {
			ContextSnapshot snapshot = factory.captureAll();
			Runnable work = () -> inside.complete(ProfilingLabels.current());
			task.set(snapshot.wrap(work));
		});
		CompletableFuture<LabelSet> after = new CompletableFuture<>();
		Thread worker = new Thread(() -> ProfilingLabels.run(LabelSet.of("worker", "own"), () -> {
			task.get().run();
			after.complete(ProfilingLabels.current());
		}));
		worker.start();
		assertThat(inside.get(5, TimeUnit.SECONDS)).isEqualTo(LabelSet.of("tenant", "acme"));
		assertThat(after.get(5, TimeUnit.SECONDS)).isEqualTo(LabelSet.of("worker", "own"));
	}

	@Test
	void restoringGivesBackExactlyWhatTheThreadHadAndIsNeverStale() throws Exception {
		ProfilingLabelsAccessor accessor = new ProfilingLabelsAccessor();
		String name = Thread.currentThread().getName();
		try (LabelRegistry registry = new LabelRegistry(Duration.ofMillis(1))) {
			ProfilingLabels.run(LabelSet.of("job", "sync"), () -> {
				accessor.setValue(LabelSet.of("tenant", "acme"));
				assertThat(ProfilingLabels.current()).isEqualTo(LabelSet.of("tenant", "acme"));
				accessor.setValue(LabelSet.of("tenant", "globex"));
				accessor.restore(LabelSet.of("tenant", "acme"));
				assertThat(ProfilingLabels.current()).isEqualTo(LabelSet.of("tenant", "acme"));
				await().during(Duration.ofMillis(100))
					.atMost(Duration.ofSeconds(5))
					.until(() -> staleThreads(registry).noneMatch(name::equals));
				accessor.restore();
				assertThat(ProfilingLabels.current()).isEqualTo(LabelSet.of("job", "sync"));
				// the registry does flag a replace scope held as long, so the check above can fail
				try (LabelScope replaced = ProfilingLabels.replace(LabelSet.of("tenant", "leaky"))) {
					await().atMost(Duration.ofSeconds(5)).until(() -> staleThreads(registry).anyMatch(name::equals));
				}
			});
		}
		assertThat(ProfilingLabels.current()).isEqualTo(LabelSet.empty());
	}

	private static Stream<String> staleThreads(LabelRegistry registry) {
		return registry.staleScopes().stream().map(ThreadLabels::threadName);
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
