package dev.diagkit.web;

import dev.diagkit.labels.LabelPolicy;
import dev.diagkit.labels.LabelSet;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;

class RequestLabelerTests {

	private final LabelPolicy policy = LabelPolicy.builder().maxValuesPerKey(20).build();

	private final RequestLabeler labeler = new RequestLabeler(new HeaderTenantResolver("X-Tenant-ID"), this.policy,
			LabelSet.of("env", "test"), null);

	@Test
	void inventedMethodsCannotFillTheMethodOrEndpointValues() {
		for (int i = 0; i < 50; i++) {
			MockHttpServletRequest request = new MockHttpServletRequest("M" + i, "/x");
			assertThat(this.labeler.entryLabels(request).get("method")).isEqualTo("OTHER");
			assertThat(this.labeler.endpointLabel(request, RequestLabeler.UNMATCHED).get("endpoint"))
				.isEqualTo("OTHER UNMATCHED");
		}
		MockHttpServletRequest delete = new MockHttpServletRequest("DELETE", "/orders/1");
		assertThat(this.labeler.endpointLabel(delete, "/orders/{id}").get("endpoint")).isEqualTo("DELETE /orders/{id}");
		assertThat(this.policy.overflowCounts()).isEmpty();
	}

	@Test
	void laterDispatchesReuseTheLabelsOfTheFirst() {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/checkout");
		request.addHeader("X-Tenant-ID", "acme");
		LabelSet first = this.labeler.entryLabels(request);
		request.setMethod("GET");
		request.removeHeader("X-Tenant-ID");
		assertThat(this.labeler.entryLabels(request)).isSameAs(first);
		assertThat(first.asMap()).containsEntry("method", "POST").containsEntry("tenant", "acme").containsEntry("env",
				"test");
	}

}
