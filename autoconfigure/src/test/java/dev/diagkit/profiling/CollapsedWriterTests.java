package dev.diagkit.profiling;

import java.io.IOException;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.diagkit.labels.LabelSet;

import static dev.diagkit.profiling.ProfileFixtures.ACME;
import static dev.diagkit.profiling.ProfileFixtures.COMPUTE;
import static dev.diagkit.profiling.ProfileFixtures.COMPUTE_LATER_LINE;
import static dev.diagkit.profiling.ProfileFixtures.GLOBEX;
import static dev.diagkit.profiling.ProfileFixtures.HANDLE;
import static dev.diagkit.profiling.ProfileFixtures.REFERENCES;
import static dev.diagkit.profiling.ProfileFixtures.ROUND;
import static dev.diagkit.profiling.ProfileFixtures.RUN;
import static dev.diagkit.profiling.ProfileFixtures.SCAN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class CollapsedWriterTests {

	private static final Profile PROFILE = Profile
		.builder(ProfileType.CPU, Instant.parse("2025-03-01T12:00:00Z"), 10_000_000)
		.add(List.of(COMPUTE, HANDLE, RUN), ACME, 300, 3_000_000_000L)
		.add(List.of(COMPUTE_LATER_LINE, HANDLE, RUN), ACME, 200, 2_000_000_000L)
		.add(List.of(ROUND, HANDLE, RUN), ACME, 1, 0)
		.add(List.of(SCAN, HANDLE, RUN), GLOBEX, 100, 1_000_000_000L)
		.add(List.of(SCAN, HANDLE, RUN), LabelSet.of("tenant", "globex", "endpoint", "GET /a;b\nc"), 10, 100_000_000L)
		.add(List.of(REFERENCES, RUN), LabelSet.empty(), 5, 50_000_000L)
		.add(List.of(), LabelSet.empty(), 7, 70_000_000L)
		.note("not part of the collapsed format")
		.build(Duration.ofSeconds(10));

	@Test
	void writesTheLastValueRootFirstMergedAndSorted() {
		assertThat(new CollapsedWriter().write(PROFILE)).isEqualTo("""
				java.lang.Thread.run;com.example.web.Handler.handle;com.acme.Pricing.compute 5000000000
				java.lang.Thread.run;com.example.web.Handler.handle;com.globex.Search.scan 1100000000
				java.lang.Thread.run;java.lang.ref.Reference.processPendingReferences 50000000
				""");
	}

	@Test
	void writesTheChosenValue() {
		assertThat(new CollapsedWriter().withValueIndex(0).write(PROFILE)).isEqualTo("""
				java.lang.Thread.run;com.example.web.Handler.handle;com.acme.Pricing.compute 500
				java.lang.Thread.run;com.example.web.Handler.handle;com.acme.Pricing.round 1
				java.lang.Thread.run;com.example.web.Handler.handle;com.globex.Search.scan 110
				java.lang.Thread.run;java.lang.ref.Reference.processPendingReferences 5
				""");
	}

	@Test
	void putsEveryLabelInKeyOrderAsRootFrames() {
		assertThat(new CollapsedWriter().withLabelFrames().write(PROFILE)).isEqualTo("""
				endpoint=GET /a_b_c;tenant=globex;java.lang.Thread.run;com.example.web.Handler.handle;com.globex.Search.scan 100000000
				endpoint=GET /price;tenant=acme;java.lang.Thread.run;com.example.web.Handler.handle;com.acme.Pricing.compute 5000000000
				endpoint=GET /search;tenant=globex;java.lang.Thread.run;com.example.web.Handler.handle;com.globex.Search.scan 1000000000
				java.lang.Thread.run;java.lang.ref.Reference.processPendingReferences 50000000
				""");
	}

	@Test
	void putsTheGivenLabelKeysInTheGivenOrderAsRootFrames() {
		assertThat(new CollapsedWriter().withLabelFrames(List.of("tenant", "endpoint")).write(PROFILE)).isEqualTo("""
				tenant=;endpoint= 70000000
				tenant=;endpoint=;java.lang.Thread.run;java.lang.ref.Reference.processPendingReferences 50000000
				tenant=acme;endpoint=GET /price;java.lang.Thread.run;com.example.web.Handler.handle;com.acme.Pricing.compute 5000000000
				tenant=globex;endpoint=GET /a_b_c;java.lang.Thread.run;com.example.web.Handler.handle;com.globex.Search.scan 100000000
				tenant=globex;endpoint=GET /search;java.lang.Thread.run;com.example.web.Handler.handle;com.globex.Search.scan 1000000000
				""");
		assertThat(new CollapsedWriter().withLabelFrames(List.of("tenant")).withValueIndex(0).write(PROFILE))
			.isEqualTo("""
					tenant= 7
					tenant=;java.lang.Thread.run;java.lang.ref.Reference.processPendingReferences 5
					tenant=acme;java.lang.Thread.run;com.example.web.Handler.handle;com.acme.Pricing.compute 500
					tenant=acme;java.lang.Thread.run;com.example.web.Handler.handle;com.acme.Pricing.round 1
					tenant=globex;java.lang.Thread.run;com.example.web.Handler.handle;com.globex.Search.scan 110
					""");
	}

	@Test
	void writerGetsTheSameText() throws IOException {
		CollapsedWriter writer = new CollapsedWriter().withLabelFrames();
		StringWriter out = new StringWriter();
		writer.write(PROFILE, out);
		assertThat(out).hasToString(writer.write(PROFILE));
	}

	@Test
	void valueIndexOutOfRangeNamesTheValuesAccepted() {
		assertThatIllegalArgumentException().isThrownBy(() -> new CollapsedWriter().withValueIndex(2).write(PROFILE))
			.withMessage("valueIndex 2 is out of range for a cpu profile, whose values are 0 (samples count), "
					+ "1 (cpu nanoseconds)");
		assertThatIllegalArgumentException().isThrownBy(() -> new CollapsedWriter().withValueIndex(-1))
			.withMessage("valueIndex must be 0 or more, was -1");
	}

	@Test
	void labelKeysMustBeGiven() {
		assertThatIllegalArgumentException().isThrownBy(() -> new CollapsedWriter().withLabelFrames(List.of()))
			.withMessageContaining("at least one label");
		assertThatIllegalArgumentException().isThrownBy(() -> new CollapsedWriter().withLabelFrames(List.of(" ")))
			.withMessageContaining("must not be blank");
	}

}
