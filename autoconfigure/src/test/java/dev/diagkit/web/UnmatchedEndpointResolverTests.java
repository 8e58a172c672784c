package dev.diagkit.web;

import dev.diagkit.labels.LabelPolicy;
import dev.diagkit.labels.LabelScope;
import dev.diagkit.labels.LabelSet;
import dev.diagkit.labels.ProfilingLabels;
import dev.diagkit.labels.spi.LabelScopes;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.servlet.NoHandlerFoundException;

import static org.assertj.core.api.Assertions.assertThat;

class UnmatchedEndpointResolverTests {

	private final RequestLabeler labeler = new RequestLabeler(new HeaderTenantResolver("X-Tenant-ID"),
			LabelPolicy.builder().build(), LabelSet.empty(), null);

	@Test
	void theUnmatchedEndpointScopeIsClosedWithTheRequestsOtherScopes() {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/nowhere");
		LabelSet entry = LabelSet.of("method", "GET");
		try (LabelScope filter = LabelScopes.openExactly(entry)) {
			new UnmatchedEndpointResolver(this.labeler).resolveException(request, new MockHttpServletResponse(), null,
					new NoHandlerFoundException("GET", "/nowhere", new HttpHeaders()));
			assertThat(ProfilingLabels.current()).isEqualTo(entry.with("endpoint", "GET UNMATCHED"));
			RequestScopes.close(request);
			assertThat(ProfilingLabels.current()).as("the resolver's scope is closed, the filter's is not")
				.isEqualTo(entry);
		}
		assertThat(ProfilingLabels.current()).isEqualTo(LabelSet.empty());
	}

}
