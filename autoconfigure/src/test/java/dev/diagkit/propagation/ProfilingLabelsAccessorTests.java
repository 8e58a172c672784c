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
	void reactorCarriesLabelsAcrossSchedulers() throws Exception {
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
