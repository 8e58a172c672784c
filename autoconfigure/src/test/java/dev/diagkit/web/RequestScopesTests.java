package dev.diagkit.web;

import dev.diagkit.labels.LabelScope;
import dev.diagkit.labels.LabelSet;
import dev.diagkit.labels.ProfilingLabels;
import dev.diagkit.labels.spi.LabelScopes;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;

class RequestScopesTests {

	private final LabelSet entry = LabelSet.of("method", "GET");

	@Test
	void oneScopeIsClosedWithTheRequest() {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/orders/42");
		try (LabelScope filter = LabelScopes.openExactly(this.entry)) {
			RequestScopes.open(request, LabelSet.of("endpoint", "GET /orders/{id}"));
			assertThat(ProfilingLabels.current()).isEqualTo(this.entry.with("endpoint", "GET /orders/{id}"));
			RequestScopes.close(request);
			assertThat(ProfilingLabels.current()).isEqualTo(this.entry);
			RequestScopes.close(request);
			assertThat(ProfilingLabels.current()).as("a second close has nothing left to close").isEqualTo(this.entry);
		}
	}

	@Test
	void severalScopesAreClosedNewestFirst() {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/static/missing.css");
		try (LabelScope filter = LabelScopes.openExactly(this.entry)) {
			RequestScopes.open(request, LabelSet.of("endpoint", "GET /static/**"));
			RequestScopes.open(request, LabelSet.of("endpoint", "GET UNMATCHED"));
			RequestScopes.open(request, LabelSet.of("tenant", "acme"));
			assertThat(ProfilingLabels.current())
				.isEqualTo(this.entry.with("endpoint", "GET UNMATCHED").with("tenant", "acme"));
			RequestScopes.close(request);
			assertThat(ProfilingLabels.current()).as("every scope of the request is closed, the filter's is not")
				.isEqualTo(this.entry);
		}
		assertThat(ProfilingLabels.current()).isEqualTo(LabelSet.empty());
	}

}
