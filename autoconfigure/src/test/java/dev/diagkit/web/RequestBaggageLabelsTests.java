package dev.diagkit.web;

import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import dev.diagkit.labels.LabelPolicy;
import dev.diagkit.labels.LabelSet;
import dev.diagkit.propagation.LabelBaggage;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a request takes from its trace's baggage: nothing without a principal (baggage is a
 * header any client may send); the tenant when its own resolver found none, or always when
 * baggage wins; other keys when the request has no label of that key; every value through
 * the label policy and tenant-values.
 */
class RequestBaggageLabelsTests {

	private final LabelPolicy policy = LabelPolicy.builder().maxValuesPerKey(20).build();

	private final RequestLabeler labeler = new RequestLabeler(new HeaderTenantResolver("X-Tenant-ID"), this.policy,
			LabelSet.of("env", "test"), null, TenantValues.of(List.of("acme", "globex")));

	@Test
	void anAnonymousRequestTakesNothingFromBaggage() {
		MockHttpServletRequest request = request(null, false);
		this.labeler.entryLabels(request);
		assertThat(this.labeler.baggageLabels(request, baggage(false, "tenant", "globex", "plan", "gold")))
			.isEqualTo(LabelSet.empty());
	}

	@Test
	void theRequestsOwnTenantWinsUnlessBaggageIsSetTo() {
		MockHttpServletRequest own = request("acme", true);
		this.labeler.entryLabels(own);
		assertThat(this.labeler.baggageLabels(own, baggage(false, "tenant", "globex"))).isEqualTo(LabelSet.empty());

		MockHttpServletRequest overridden = request("acme", true);
		this.labeler.entryLabels(overridden);
		assertThat(this.labeler.baggageLabels(overridden, baggage(true, "tenant", "globex")))
			.isEqualTo(LabelSet.of("tenant", "globex"));

		MockHttpServletRequest none = request(null, true);
		this.labeler.entryLabels(none);
		assertThat(this.labeler.baggageLabels(none, baggage(false, "tenant", "globex")))
			.isEqualTo(LabelSet.of("tenant", "globex"));
		assertThat(this.labeler.entryLabels(none)).as("kept for the request's later dispatches")
			.isEqualTo(LabelSet.of("env", "test", "method", "GET", "tenant", "globex"));
		assertThat(this.labeler.baggageLabels(none, baggage(false, "tenant", "initech")))
			.as("read once per request")
			.isEqualTo(LabelSet.empty());
	}

	@Test
	void baggageValuesPassTheSameChecksAsTheRequestsOwn() {
		MockHttpServletRequest request = request(null, true);
		this.labeler.entryLabels(request);
		assertThat(this.labeler.baggageLabels(request, baggage(false, "tenant", "made-up", "plan", "gold", "env", "prod")))
			.as("a tenant outside tenant-values is the overflow value; the request's own env stays")
			.isEqualTo(LabelSet.of("tenant", "_other", "plan", "gold"));
	}

	private static MockHttpServletRequest request(@Nullable String tenant, boolean authenticated) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/orders/1");
		if (tenant != null) {
			request.addHeader("X-Tenant-ID", tenant);
		}
		if (authenticated) {
			Principal alice = () -> "alice";
			request.setUserPrincipal(alice);
		}
		return request;
	}

	/** Baggage as an incoming trace holds it, read through the label policy. */
	private LabelBaggage baggage(boolean wins, String... keyValues) {
		Map<String, String> values = LabelSet.of(keyValues).asMap();
		LabelPolicy policy = this.policy;
		return new LabelBaggage() {

			@Override
			public Set<String> keys() {
				return Set.of("tenant", "plan", "env");
			}

			@Override
			public boolean overridesRequest() {
				return wins;
			}

			@Override
			public @Nullable String incoming(String key) {
				return values.get(key);
			}

			@Override
			public LabelSet adopt(Predicate<String> wanted) {
				LabelSet labels = LabelSet.empty();
				for (Map.Entry<String, String> entry : values.entrySet()) {
					if (wanted.test(entry.getKey())) {
						labels = labels.with(policy.apply(entry.getKey(), entry.getValue()));
					}
				}
				return labels;
			}

			@Override
			public Carried carry(LabelSet labels) {
				return Carried.NONE;
			}

		};
	}

}
