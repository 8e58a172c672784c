package dev.diagkit.labels;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.diagkit.labels.spi.LabelScopes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scopes of every kind left open past their owner: counted, shown, and unable to follow a
 * pool thread into its next task or to corrupt its labels when closed late.
 */
class LeakedScopesTests {

	private static final LabelSet ACME = LabelSet.of("tenant", "acme");

	private static final LabelSet GLOBEX = LabelSet.of("tenant", "globex");

	private static final LabelSet LEAK = LabelSet.of("leak", "yes");

	private final ExecutorService pool = Executors.newSingleThreadExecutor((task) -> new Thread(task, "leaky-pool"));

	@AfterEach
	void stop() throws InterruptedException {
		this.pool.shutdownNow();
		this.pool.awaitTermination(5, TimeUnit.SECONDS);
	}

	@Test
	void aScopeLeftOpenOnAPoolThreadIsCountedAndDoesNotReachTheNextTask() throws Exception {
		long before = LeakedScopes.count("open");
		Future<LabelScope> leaked = this.pool.submit(ProfilingLabels.wrap(ACME, () -> LabelScopes.open(LEAK)));
		LabelScope scope = leaked.get(5, TimeUnit.SECONDS);
		assertThat(LeakedScopes.count("open") - before).isEqualTo(1);
		LeakedScopes.Leak leak = last();
		assertThat(leak.kind()).isEqualTo("open");
		assertThat(leak.labels()).isEqualTo(LEAK);
		assertThat(leak.thread()).isEqualTo("leaky-pool");
		assertThat(leak.owner()).isEqualTo("a task");
		assertThat(leak.ownerLabels()).isEqualTo(ACME);
		// the next task, labelled or not, runs without the leaked label
		assertThat(this.pool.submit(ProfilingLabels.wrap(GLOBEX, ProfilingLabels::current)).get()).isEqualTo(GLOBEX);
		assertThat(this.pool.submit(ProfilingLabels::current).get()).isEqualTo(LabelSet.empty());
		// closing it late, on its thread, changes nothing
		LabelSet afterLateClose = this.pool.submit(ProfilingLabels.wrap(GLOBEX, () -> {
			scope.close();
			return ProfilingLabels.current();
		})).get();
		assertThat(afterLateClose).isEqualTo(GLOBEX);
		assertThat(LeakedScopes.count("open") - before).isEqualTo(1);
	}

	@Test
	void everyKindIsCountedWhenItsOwnerEnds() {
		long replace = LeakedScopes.count("replace");
		long exactly = LeakedScopes.count("openExactly");
		long open = LeakedScopes.count("open");
		ProfilingLabels.run(ACME, () -> ProfilingLabels.replace(LEAK));
		assertThat(LeakedScopes.count("replace") - replace).isEqualTo(1);
		assertThat(ProfilingLabels.current()).isEqualTo(LabelSet.empty());
		// a request's own scope ends with an inner one still open
		try (LabelScope request = LabelScopes.openExactly(ACME)) {
			LabelScopes.openExactly(LEAK);
		}
		assertThat(LeakedScopes.count("openExactly") - exactly).isEqualTo(1);
		assertThat(last().owner()).isEqualTo("an enclosing openExactly scope");
		assertThat(ProfilingLabels.current()).isEqualTo(LabelSet.empty());
		// scopes closed in order leak nothing
		ProfilingLabels.run(ACME, () -> {
			try (LabelScope inner = LabelScopes.open(LEAK); LabelScope innermost = LabelScopes.open(GLOBEX)) {
				assertThat(ProfilingLabels.current().asMap()).containsEntry("leak", "yes").containsEntry("tenant", "globex");
			}
		});
		assertThat(LeakedScopes.count("open")).isEqualTo(open);
	}

	@Test
	void aScopeOpenedBeforeAnOwnerAndClosedInsideItIsNoLeakOfTheOwners() throws Exception {
		long total = total();
		// on a thread of its own: closing out of order leaves that thread with labels
		this.pool.submit(() -> {
			LabelScope outer = LabelScopes.open(ACME);
			ProfilingLabels.run(GLOBEX, outer::close);
		}).get(5, TimeUnit.SECONDS);
		assertThat(total()).isEqualTo(total);
	}

	private static long total() {
		return LeakedScopes.counts().values().stream().mapToLong(Long::longValue).sum();
	}

	private static LeakedScopes.Leak last() {
		List<LeakedScopes.Leak> recent = LeakedScopes.recent();
		assertThat(recent).isNotEmpty();
		return recent.get(recent.size() - 1);
	}

}
