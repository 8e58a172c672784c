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

	@Test
	void requestsWithTheSameMethodTenantAndRouteShareOneLabelSet() {
		MockHttpServletRequest first = new MockHttpServletRequest("GET", "/orders/1");
		first.addHeader("X-Tenant-ID", "acme");
		MockHttpServletRequest second = new MockHttpServletRequest("GET", "/orders/2");
		second.addHeader("X-Tenant-ID", "acme");
		assertThat(this.labeler.entryLabels(second)).isSameAs(this.labeler.entryLabels(first));
		assertThat(this.labeler.endpointLabel(second, "/orders/{id}"))
			.isSameAs(this.labeler.endpointLabel(first, "/orders/{id}"));
		MockHttpServletRequest post = new MockHttpServletRequest("POST", "/orders");
		post.addHeader("X-Tenant-ID", "acme");
		assertThat(this.labeler.entryLabels(post).get("method")).isEqualTo("POST");
	}

	@Test
	void tenantValuesThePolicyRefusesAreNotKept() {
		for (int i = 0; i < 200; i++) {
			MockHttpServletRequest request = new MockHttpServletRequest("GET", "/x");
			request.addHeader("X-Tenant-ID", "invented-" + i);
			String tenant = this.labeler.entryLabels(request).get("tenant");
			assertThat(tenant).isEqualTo((i < 20) ? "invented-" + i : "_other");
		}
		MockHttpServletRequest secret = new MockHttpServletRequest("GET", "/x");
		secret.addHeader("X-Tenant-ID", "Bearer abcdefghijklmnop");
		assertThat(this.labeler.entryLabels(secret).get("tenant")).isIn("_redacted", "_other");
		assertThat(this.labeler.keptEntrySets()).isEqualTo(20);
	}

}
