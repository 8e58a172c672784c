package dev.diagkit.labels;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import dev.diagkit.labels.spi.LabelScopes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The labels of the current tracing span lie over a thread's own labels in a slot of their
 * own: label scopes and span swaps may end in any order and neither puts back the other's
 * labels; profiles see both; listeners (the MDC) see only the thread's own.
 */
class SpanLabelsSlotTests {

	private static final LabelSet SPAN = LabelSet.of("span_id", "85280c6013a41af8", "trace_id",
			"9a8c9a676f9fa0decf10428c6ab434c1");

	private static final LabelSet OTHER_SPAN = LabelSet.of("span_id", "35dde3b188a08ccd", "trace_id",
			"0af7651916cd43dd8448eb211c803190");

	private static final LabelSet ACME = LabelSet.of("tenant", "acme");

	@AfterEach
	void clearSpan() {
		LabelScopes.swapSpan(LabelSet.empty());
	}

	@Test
	void aLabelScopeClosedInsideASpanKeepsTheSpan() {
		LabelSet previous = LabelScopes.swapSpan(SPAN);
		assertThat(previous).isEqualTo(LabelSet.empty());
		try (LabelScope scope = LabelScopes.openExactly(ACME)) {
			assertThat(ProfilingLabels.current()).isEqualTo(ACME.with(SPAN));
		}
		assertThat(ProfilingLabels.current()).isEqualTo(SPAN);
		LabelScopes.swapSpan(previous);
		assertThat(ProfilingLabels.current()).isEqualTo(LabelSet.empty());
	}

	@Test
	void aSpanEndingInsideALabelScopeLeavesTheScopesLabels() {
		LabelScope scope = LabelScopes.openExactly(ACME);
		LabelSet previous = LabelScopes.swapSpan(SPAN);
		ProfilingLabels.run(LabelSet.of("job", "x"), () -> {
			assertThat(ProfilingLabels.current()).isEqualTo(ACME.with(LabelSet.of("job", "x")).with(SPAN));
			// the span ends before the run does: the run still puts back what it found, span aside
			LabelScopes.swapSpan(previous);
			assertThat(ProfilingLabels.current()).isEqualTo(ACME.with(LabelSet.of("job", "x")));
		});
		assertThat(ProfilingLabels.current()).isEqualTo(ACME);
		scope.close();
		assertThat(ProfilingLabels.current()).isEqualTo(LabelSet.empty());
	}

	@Test
	void theSpanWinsOverSpanLabelsTheThreadCarriesFromAnotherThread() {
		try (LabelScope scope = LabelScopes.openExactly(ACME.with(OTHER_SPAN))) {
			LabelScopes.swapSpan(SPAN);
			assertThat(ProfilingLabels.current()).isEqualTo(ACME.with(SPAN));
			LabelScopes.swapSpan(LabelSet.empty());
			assertThat(ProfilingLabels.current()).isEqualTo(ACME.with(OTHER_SPAN));
		}
	}

	@Test
	void aThreadStartedUnderASpanInheritsTheThreadsOwnLabelsOnly() throws InterruptedException {
		AtomicReference<LabelSet> seen = new AtomicReference<>();
		try (LabelScope scope = LabelScopes.openExactly(ACME)) {
			LabelScopes.swapSpan(SPAN);
			Thread child = new Thread(() -> seen.set(ProfilingLabels.current()));
			child.start();
			child.join(10_000);
		}
		assertThat(seen.get()).as("a thread that outlives the span is no part of it").isEqualTo(ACME);
	}

	@Test
	void profilesSeeTheSpanAndListenersDoNot() {
		List<LabelSet> heard = new ArrayList<>();
		LabelListener listener = (from, to) -> heard.add(to);
		ThreadLabelState.addListener(listener);
		try (LabelTimelines timelines = LabelTimelines.start()) {
			long before = System.nanoTime();
			LabelScopes.swapSpan(SPAN);
			long inSpan = System.nanoTime();
			try (LabelScope scope = LabelScopes.openExactly(ACME)) {
				long inScope = System.nanoTime();
				LabelTimelines.History history = timelines.read().get(Thread.currentThread().getId());
				assertThat(history.labelsAt(before, 0)).isEqualTo(LabelSet.empty());
				assertThat(history.labelsAt(inSpan, 0)).isEqualTo(SPAN);
				assertThat(history.labelsAt(inScope, 0)).isEqualTo(ACME.with(SPAN));
			}
		}
		finally {
			ThreadLabelState.removeListener(listener);
		}
		assertThat(heard).containsExactly(ACME, LabelSet.empty());
	}

}
