package dev.diagkit.labels.spi;

import dev.diagkit.labels.LabelScope;
import dev.diagkit.labels.LabelSet;
import dev.diagkit.labels.ProfilingLabels;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The integrations' scopes reach ProfilingLabels' package-private scopes: a rename there
 * fails here, not in an application.
 */
class LabelScopesTests {

	private static final LabelSet ACME = LabelSet.of("tenant", "acme");

	@Test
	void openMergesAndOpenExactlyReplacesUntilClosed() {
		ProfilingLabels.run(ACME, () -> {
			try (LabelScope merged = LabelScopes.open(LabelSet.of("job", "sweep"))) {
				assertThat(ProfilingLabels.current()).isEqualTo(ACME.with("job", "sweep"));
				try (LabelScope exact = LabelScopes.openExactly(LabelSet.of("method", "GET"))) {
					assertThat(ProfilingLabels.current()).isEqualTo(LabelSet.of("method", "GET"));
				}
				assertThat(ProfilingLabels.current()).isEqualTo(ACME.with("job", "sweep"));
			}
			assertThat(ProfilingLabels.current()).isEqualTo(ACME);
		});
	}

}
