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

}
