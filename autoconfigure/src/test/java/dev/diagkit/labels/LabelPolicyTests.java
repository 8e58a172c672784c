package dev.diagkit.labels;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.entry;

class LabelPolicyTests {

	@Test
	void valuesOverTheLimitBecomeTheOverflowValueAndAreCounted() {
		LabelPolicy policy = LabelPolicy.builder().maxValuesPerKey(3).build();
		for (int i = 0; i < 3; i++) {
			assertThat(policy.admitValue("tenant", "t" + i)).isEqualTo("t" + i);
		}
		assertThat(policy.admitValue("tenant", "t3")).isEqualTo("_other");
		assertThat(policy.admitValue("tenant", "t4")).isEqualTo("_other");
		assertThat(policy.admitValue("tenant", "t1")).as("known values stay").isEqualTo("t1");
		assertThat(policy.admitValue("endpoint", "GET /x")).as("limits are per key").isEqualTo("GET /x");
		assertThat(policy.overflowCounts()).containsExactly(entry("tenant", 2L));
		assertThat(policy.distinctValueCounts()).containsEntry("tenant", 3).containsEntry("endpoint", 1);
	}

	@Test
	void defaultLimitIs200DistinctValues() {
		LabelPolicy policy = LabelPolicy.defaults();
		for (int i = 0; i < 200; i++) {
			assertThat(policy.admitValue("tenant", "tenant-" + i)).isEqualTo("tenant-" + i);
		}
		assertThat(policy.admitValue("tenant", "tenant-200")).isEqualTo("_other");
		assertThat(policy.maxValuesPerKey()).isEqualTo(200);
	}

	@Test
	void longValuesAreCutAndStayDistinct() {
		LabelPolicy policy = LabelPolicy.builder().maxValueLength(32).build();
		String builds = policy.admitCodeValue("endpoint", "GET /organisations/{org}/projects/{projectId}/builds");
		String deployments = policy.admitCodeValue("endpoint",
				"GET /organisations/{org}/projects/{projectId}/deployments");
		assertThat(builds).hasSize(32).startsWith("GET /organisations/{o");
		assertThat(deployments).hasSize(32).isNotEqualTo(builds);
		assertThat(policy.admitValue("tenant", "short")).isEqualTo("short");
		assertThat(LabelPolicy.defaults().admitValue("k", "x".repeat(100))).hasSize(64);
	}

	@Test
	void deniedKeysAreDroppedWhateverTheirCase() {
		LabelPolicy policy = LabelPolicy.defaults();
		LabelSet applied = policy.apply(LabelSet.of("tenant", "acme", "User_ID", "42", "request_id", "abc",
				"authorization", "x"));
		assertThat(applied.asMap()).containsExactly(entry("tenant", "acme"));
		assertThat(policy.apply("token", "abc")).isEqualTo(LabelSet.empty());
		LabelPolicy custom = LabelPolicy.builder().deniedKeys(List.of("Customer")).build();
		assertThat(custom.apply(LabelSet.of("customer", "c1", "user_id", "7")).asMap())
			.containsExactly(entry("user_id", "7"));
	}

	@Test
	void keyNamesAreRestrictedToSafeCharacters() {
		LabelPolicy policy = LabelPolicy.defaults();
		assertThat(policy.apply(LabelSet.of("http-route", "x", "a b", "y", "svc.name", "z")).asMap())
			.containsOnlyKeys("http_route", "a_b", "svc.name");
		assertThat(policy.key("---")).isEqualTo("___");
	}

	@Test
	void secretLookingValuesAreRedacted() {
		LabelPolicy policy = LabelPolicy.defaults();
		String jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
		assertThat(policy.admitValue("tenant", jwt)).isEqualTo("_redacted");
		assertThat(policy.admitValue("tenant", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"))
			.isEqualTo("_redacted");
		assertThat(policy.admitValue("tenant", "dGhpcyBpcyBhIHNlY3JldCBrZXkgMTIzNDU2Nzg5MA==")).isEqualTo("_redacted");
		assertThat(policy.admitValue("tenant", "Bearer abcdefghijklmnopqrstuvwxyz0123456789")).isEqualTo("_redacted");
		assertThat(policy.admitValue("tenant", "Basic YWRtaW46aHVudGVyMg==")).as("short credentials too")
			.isEqualTo("_redacted");
		assertThat(policy.admitValue("tenant", "Bearer 3f9a1c2b7d8e4f60")).isEqualTo("_redacted");
	}

	@Test
	void routeTemplatesAreNeitherRedactedNorTakenForTokens() {
		LabelPolicy policy = LabelPolicy.builder().maxValueLength(200).build();
		assertThat(policy.admitValue("endpoint", "GET /api/v1/customerAccounts/balanceHistory"))
			.isEqualTo("GET /api/v1/customerAccounts/balanceHistory");
		assertThat(policy.admitCodeValue("endpoint", "GET /files/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b"))
			.as("values from code are never redacted")
			.isEqualTo("GET /files/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b");
	}

	@Test
	void ordinaryValuesAreNotTakenForSecrets() {
		LabelPolicy policy = LabelPolicy.defaults();
		assertThat(policy.admitValue("tenant", "acme")).isEqualTo("acme");
		assertThat(policy.admitValue("tenant", "123e4567-e89b-12d3-a456-426614174000"))
			.isEqualTo("123e4567-e89b-12d3-a456-426614174000");
		assertThat(policy.admitValue("endpoint", "GET /tenants/{tenantId}/orders/{orderId}/items"))
			.isEqualTo("GET /tenants/{tenantId}/orders/{orderId}/items");
		assertThat(policy.admitValue("job", "inventoryReconciliationScheduler.reconcile"))
			.isEqualTo("inventoryReconciliationScheduler.reconcile");
		LabelPolicy noRedaction = LabelPolicy.builder().redactSecrets(false).maxValueLength(200).build();
		String hex = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
		assertThat(noRedaction.admitValue("k", hex)).isEqualTo(hex);
	}

	@Test
	void builderRejectsNonsense() {
		assertThatIllegalArgumentException().isThrownBy(() -> LabelPolicy.builder().maxValuesPerKey(0))
			.withMessage("maxValuesPerKey must be at least 1, was 0");
		assertThatIllegalArgumentException().isThrownBy(() -> LabelPolicy.builder().maxValueLength(-1))
			.withMessage("maxValueLength must be at least 1, was -1");
		assertThatIllegalArgumentException().isThrownBy(() -> LabelPolicy.builder().overflowValue(" "))
			.withMessage("overflowValue must not be blank");
	}

	@Test
	void aValueUnseenForTheTimeToLiveFreesItsPlaceAndOneInUseKeepsIt() {
		AtomicLong nanos = new AtomicLong(1);
		LabelPolicy policy = LabelPolicy.builder()
			.maxValuesPerKey(2)
			.valueTtl(Duration.ofSeconds(60))
			.nanoClock(nanos::get)
			.build();
		assertThat(policy.admitValue("tenant", "acme")).isEqualTo("acme");
		assertThat(policy.admitValue("tenant", "flood-1")).isEqualTo("flood-1");
		assertThat(policy.admitValue("tenant", "globex")).isEqualTo("_other");
		for (int second = 1; second <= 61; second++) {
			nanos.set(Duration.ofSeconds(second).toNanos());
			assertThat(policy.admitValue("tenant", "acme")).isEqualTo("acme");
		}
		assertThat(policy.admitValue("tenant", "globex")).as("flood-1 unseen for 61 s").isEqualTo("globex");
		assertThat(policy.admitValue("tenant", "flood-1")).isEqualTo("_other");
		assertThat(policy.overflowCounts()).containsEntry("tenant", 2L);
	}

	@Test
	void aFullKeyLooksForExpiredPlacesAtMostOncePerSixteenthOfTheTimeToLive() {
		AtomicLong nanos = new AtomicLong(1);
		LabelPolicy policy = LabelPolicy.builder()
			.maxValuesPerKey(1)
			.valueTtl(Duration.ofSeconds(16))
			.nanoClock(nanos::get)
			.build();
		policy.admitValue("tenant", "old");
		nanos.set(Duration.ofSeconds(16).toNanos());
		assertThat(policy.admitValue("tenant", "new")).as("swept at 16 s, old not yet expired").isEqualTo("_other");
		nanos.set(Duration.ofMillis(16_500).toNanos());
		assertThat(policy.admitValue("tenant", "new")).as("no second sweep within 1 s").isEqualTo("_other");
		nanos.set(Duration.ofSeconds(17).toNanos() + 1);
		assertThat(policy.admitValue("tenant", "new")).isEqualTo("new");
	}

}
