package dev.diagkit.web;

import dev.diagkit.labels.LabelSet;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RecentLabelSetsTests {

	private final RecentLabelSets sets = new RecentLabelSets(2, 1_000, 3);

	@Test
	void aSetIsReusedOnlyWithinTheReuseWindowAfterThePolicySawIt() {
		LabelSet acme = LabelSet.of("tenant", "acme");
		this.sets.put(0, "acme", acme, 10_000);
		assertThat(this.sets.get(0, "acme", 10_999)).isSameAs(acme);
		assertThat(this.sets.get(0, "acme", 11_000)).isNull();
		assertThat(this.sets.get(1, "acme", 10_500)).isNull();
	}

	@Test
	void anEqualSetPutAgainKeepsTheIdentityOfTheFirst() {
		LabelSet first = LabelSet.of("tenant", "acme");
		this.sets.put(0, "acme", first, 0);
		assertThat(this.sets.put(0, "acme", LabelSet.of("tenant", "acme"), 5_000)).isSameAs(first);
		assertThat(this.sets.get(0, "acme", 5_500)).isSameAs(first);
		LabelSet overflow = LabelSet.of("tenant", "_other");
		assertThat(this.sets.put(0, "acme", overflow, 6_000)).isSameAs(overflow);
	}

	@Test
	void aMethodThatReachesTheBoundStartsAfresh() {
		for (int i = 0; i < 3; i++) {
			this.sets.put(0, "t" + i, LabelSet.of("tenant", "t" + i), 0);
		}
		this.sets.put(1, "kept", LabelSet.of("tenant", "kept"), 0);
		assertThat(this.sets.size()).isEqualTo(4);
		this.sets.put(0, "t3", LabelSet.of("tenant", "t3"), 0);
		assertThat(this.sets.size()).isEqualTo(2);
		assertThat(this.sets.get(0, "t0", 1)).isNull();
		assertThat(this.sets.get(0, "t3", 1)).isNotNull();
		assertThat(this.sets.get(1, "kept", 1)).isNotNull();
	}

}
