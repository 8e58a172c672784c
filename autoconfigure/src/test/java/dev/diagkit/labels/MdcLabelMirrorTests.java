package dev.diagkit.labels;

import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import static org.assertj.core.api.Assertions.assertThat;

class MdcLabelMirrorTests {

	@Test
	void mirrorsLabelsIntoTheMdcWhileInstalled() {
		MDC.put("unrelated", "kept");
		try (MdcLabelMirror mirror = MdcLabelMirror.install()) {
			ProfilingLabels.run(LabelSet.of("tenant", "acme", "endpoint", "GET /x"), () -> {
				assertThat(MDC.get("tenant")).isEqualTo("acme");
				assertThat(MDC.get("endpoint")).isEqualTo("GET /x");
				ProfilingLabels.run(LabelSet.of("tenant", "globex"), () -> assertThat(MDC.get("tenant")).isEqualTo("globex"));
				assertThat(MDC.get("tenant")).isEqualTo("acme");
			});
			assertThat(MDC.get("tenant")).isNull();
			assertThat(MDC.get("endpoint")).isNull();
			assertThat(MDC.get("unrelated")).isEqualTo("kept");
		}
		finally {
			MDC.clear();
		}
		ProfilingLabels.run(LabelSet.of("tenant", "acme"), () -> assertThat(MDC.get("tenant")).isNull());
	}

	@Test
	void threadThatInheritsLabelsHasThemInItsMdcFromTheStart() throws Exception {
		try (MdcLabelMirror mirror = MdcLabelMirror.install()) {
			java.util.concurrent.atomic.AtomicReference<String> seen = new java.util.concurrent.atomic.AtomicReference<>();
			LabelSet labels = LabelSet.of("tenant", "inherited");
			ProfilingLabels.run(labels, () -> {
				Thread child = new Thread(() -> {
					// a pool thread created by its first submitter runs that task under the very
					// labels it inherited: no change of labels, yet its MDC starts empty
					ProfilingLabels.wrap(labels, () -> seen.set(MDC.get("tenant"))).run();
				});
				child.start();
				try {
					child.join(5000);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			});
			assertThat(seen.get()).isEqualTo("inherited");
		}
		finally {
			MDC.clear();
		}
	}

}
