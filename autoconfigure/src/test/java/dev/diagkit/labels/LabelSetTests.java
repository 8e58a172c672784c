package dev.diagkit.labels;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.entry;

class LabelSetTests {

	@Test
	void keepsLabelsSortedByKey() {
		LabelSet labels = LabelSet.of("tenant", "acme", "endpoint", "GET /orders", "method", "GET");
		assertThat(labels.asMap()).containsExactly(entry("endpoint", "GET /orders"), entry("method", "GET"),
				entry("tenant", "acme"));
		assertThat(labels).hasToString("{endpoint=GET /orders, method=GET, tenant=acme}");
		assertThat(labels.size()).isEqualTo(3);
	}

	@Test
	void equalityIsByContent() {
		LabelSet a = LabelSet.of("b", "2", "a", "1");
		LabelSet b = LabelSet.of("a", "1", "b", "2");
		assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
		assertThat(a).isNotEqualTo(LabelSet.of("a", "1", "b", "3"));
		assertThat(LabelSet.of()).isSameAs(LabelSet.empty());
		assertThat(LabelSet.of(Map.of())).isSameAs(LabelSet.empty());
	}

	@Test
	void laterDuplicateKeyWins() {
		assertThat(LabelSet.of("k", "first", "k", "second").asMap()).containsExactly(entry("k", "second"));
	}

	@Test
	void oddCountIsRejectedNamingTheKeyWithoutValue() {
		assertThatIllegalArgumentException().isThrownBy(() -> LabelSet.of("tenant", "acme", "endpoint"))
			.withMessageContaining("3 strings")
			.withMessageContaining("'endpoint' has no value");
	}

	@Test
	void nullOrBlankKeyIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> LabelSet.of("tenant", "acme", null, "x"))
			.withMessageContaining("pair 1 is null");
		assertThatIllegalArgumentException().isThrownBy(() -> LabelSet.of(" ", "x"))
			.withMessageContaining("pair 0 is blank");
	}

	@Test
	void nullValueIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> LabelSet.of("tenant", null))
			.withMessageContaining("'tenant' is null");
		Map<String, String> map = new LinkedHashMap<>();
		map.put("tenant", null);
		assertThatIllegalArgumentException().isThrownBy(() -> LabelSet.of(map)).withMessageContaining("'tenant'");
	}

	@Test
	void withMergesAndTheArgumentWinsPerKey() {
		LabelSet base = LabelSet.of("tenant", "acme", "method", "GET");
		LabelSet merged = base.with(LabelSet.of("tenant", "globex", "job", "sync"));
		assertThat(merged.asMap()).containsExactly(entry("job", "sync"), entry("method", "GET"),
				entry("tenant", "globex"));
		assertThat(base.asMap()).containsExactly(entry("method", "GET"), entry("tenant", "acme"));
		assertThat(base.with("region", "eu").get("region")).isEqualTo("eu");
	}

	@Test
	void withReturnsExistingSetsWhenNothingChanges() {
		LabelSet base = LabelSet.of("tenant", "acme");
		assertThat(base.with(LabelSet.empty())).isSameAs(base);
		assertThat(LabelSet.empty().with(base)).isSameAs(base);
		assertThat(base.with(LabelSet.of("tenant", "acme"))).isSameAs(base);
	}

	@Test
	void repeatedMergeOfTheSamePairGivesTheSameResult() {
		LabelSet base = LabelSet.of("tenant", "acme");
		LabelSet job = LabelSet.of("job", "x");
		LabelSet first = base.with(job);
		assertThat(base.with(job)).isSameAs(first);
		LabelSet other = LabelSet.of("job", "y");
		assertThat(base.with(other).get("job")).isEqualTo("y");
		assertThat(base.with(job)).isEqualTo(first);
	}

	@Test
	void asMapIsUnmodifiable() {
		Map<String, String> map = LabelSet.of("a", "1").asMap();
		org.assertj.core.api.Assertions.assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> map.put("b", "2"));
	}

	@Test
	void forEachVisitsInKeyOrder() {
		List<String> seen = new java.util.ArrayList<>();
		LabelSet.of("z", "1", "a", "2").forEach((k, v) -> seen.add(k + "=" + v));
		assertThat(seen).containsExactly("a=2", "z=1");
		assertThat(LabelSet.of("a", "1").get("missing")).isNull();
		assertThat(LabelSet.empty().isEmpty()).isTrue();
	}

}
