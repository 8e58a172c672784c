package dev.diagkit.web;

import java.security.Principal;
import java.util.Map;
import java.util.Set;

import dev.diagkit.labels.LabelSet;
import dev.diagkit.propagation.LabelBaggage;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tenant a request gets when its trace's baggage names one: its own header wins unless
 * baggage is set to win, and when the tenant must come from authenticated requests, baggage
 * (a header any client may send) is not read for anonymous ones.
 */
class BaggageTenantResolverTests {

	private final TenantResolver header = new HeaderTenantResolver("X-Tenant-ID");

	@Test
	void theRequestsOwnTenantWinsAndBaggageFillsIn() {
		BaggageTenantResolver resolver = new BaggageTenantResolver(this.header, baggage("globex"), false, false);
		assertThat(resolver.resolveTenant(request("acme", false))).isEqualTo("acme");
		assertThat(resolver.resolveTenant(request(null, false))).isEqualTo("globex");
		assertThat(new BaggageTenantResolver(this.header, baggage(null), false, false)
			.resolveTenant(request(null, false))).isNull();
	}

	@Test
	void baggageWinsWhenConfiguredTo() {
		BaggageTenantResolver resolver = new BaggageTenantResolver(this.header, baggage("globex"), true, false);
		assertThat(resolver.resolveTenant(request("acme", false))).isEqualTo("globex");
		assertThat(new BaggageTenantResolver(this.header, baggage(null), true, false)
			.resolveTenant(request("acme", false))).isEqualTo("acme");
	}

	@Test
	void anonymousRequestsDoNotGetTheirTenantFromBaggageWhenTenantsNeedAuthentication() {
		TenantResolver authenticatedHeader = new HeaderTenantResolver("X-Tenant-ID", true);
		BaggageTenantResolver resolver = new BaggageTenantResolver(authenticatedHeader, baggage("globex"), true,
				true);
		assertThat(resolver.resolveTenant(request("acme", false))).isNull();
		assertThat(resolver.resolveTenant(request(null, true))).isEqualTo("globex");
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

	/** Baggage holding a tenant, as an incoming trace's would. */
	private static LabelBaggage baggage(@Nullable String tenant) {
		Map<String, String> values = (tenant != null) ? Map.of(RequestLabeler.TENANT, tenant) : Map.of();
		return new LabelBaggage() {

			@Override
			public Set<String> keys() {
				return Set.of(RequestLabeler.TENANT);
			}

			@Override
			public boolean overridesRequest() {
				return false;
			}

			@Override
			public @Nullable String incoming(String key) {
				return values.get(key);
			}

			@Override
			public LabelSet adopt(Set<String> except) {
				return LabelSet.empty();
			}

			@Override
			public Carried carry(LabelSet labels) {
				return Carried.NONE;
			}

		};
	}

}
