package dev.diagkit.profiling;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.diagkit.labels.LabelSet;

import static dev.diagkit.profiling.ProfileFixtures.ACME;
import static dev.diagkit.profiling.ProfileFixtures.COMPUTE;
import static dev.diagkit.profiling.ProfileFixtures.GLOBEX;
import static dev.diagkit.profiling.ProfileFixtures.HANDLE;
import static dev.diagkit.profiling.ProfileFixtures.RUN;
import static dev.diagkit.profiling.ProfileFixtures.SCAN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The builder merges identical (stack, labels) pairs and, with a cap, folds the coldest ones
 * into a {@code [truncated]} frame without losing a sample.
 */
class ProfileBuilderTests {

	private static final Instant START = Instant.parse("2025-03-01T12:00:00Z");

	private static final List<StackFrame> TRUNCATED = List.of(Profile.TRUNCATED_FRAME);

	@Test
	void viewsSizeByTheLastValueUnlessOnlyAnEarlierOneHasAny() {
		Profile cpu = Profile.builder(ProfileType.CPU, START, 10).add(List.of(COMPUTE, RUN), ACME, 1, 10)
			.build(Duration.ofSeconds(1));
		assertThat(cpu.defaultValueIndex()).isEqualTo(1);
		// a live-heap profile from JDK 17, which records no object sizes
		Profile live = Profile.builder(ProfileType.LIVE, START, 1).add(List.of(COMPUTE, RUN), ACME, 3, 0)
			.build(Duration.ofSeconds(1));
		assertThat(live.defaultValueIndex()).isZero();
		assertThat(Profile.builder(ProfileType.LIVE, START, 1).build(Duration.ZERO).defaultValueIndex()).isEqualTo(1);
	}

	@Test
	void identicalStackAndLabelsAreSummed() {
		Profile profile = Profile.builder(ProfileType.CPU, START, 10)
			.add(List.of(COMPUTE, RUN), ACME, 1, 10)
			.add(List.of(COMPUTE, RUN), ACME, 2, 20)
			.add(List.of(COMPUTE, RUN), GLOBEX, 4, 40)
			.build(Duration.ofSeconds(1));
		assertThat(profile.samples()).containsExactly(
				new Profile.Sample(List.of(COMPUTE, RUN), ACME, new long[] { 3, 30 }),
				new Profile.Sample(List.of(COMPUTE, RUN), GLOBEX, new long[] { 4, 40 }));
		assertThat(profile.notes()).isEmpty();
	}

	@Test
	void beyondTheCapTheColdestAreFoldedKeepingTheirLabelsAndTheTotals() {
		Profile.Builder builder = Profile.builder(ProfileType.CPU, START, 10).maxStacks(4);
		// hot: 1000 and 900; cold: 1 to 6, half acme, half globex
		builder.add(List.of(COMPUTE, HANDLE, RUN), ACME, 100, 1000);
		builder.add(List.of(SCAN, HANDLE, RUN), GLOBEX, 90, 900);
		for (int i = 1; i <= 6; i++) {
			StackFrame leaf = new StackFrame("com.acme.Cold", "m" + i, "Cold.java", i);
			builder.add(List.of(leaf, RUN), (i % 2 == 0) ? ACME : GLOBEX, 1, i);
		}
		Profile profile = builder.build(Duration.ofSeconds(1));
		assertThat(profile.samples()).hasSize(4)
			.contains(new Profile.Sample(List.of(COMPUTE, HANDLE, RUN), ACME, new long[] { 100, 1000 }),
					new Profile.Sample(List.of(SCAN, HANDLE, RUN), GLOBEX, new long[] { 90, 900 }),
					new Profile.Sample(TRUNCATED, ACME, new long[] { 3, 2 + 4 + 6 }),
					new Profile.Sample(TRUNCATED, GLOBEX, new long[] { 3, 1 + 3 + 5 }));
		assertThat(profile.notes()).containsExactly("Folded 6 of the coldest (stack, labels) pairs, holding 1.1% of "
				+ "cpu nanoseconds, into diagkit.[truncated] to keep within 4 distinct stacks");
	}

	@Test
	void foldedPairsOfTooManyLabelsLoseTheirLabels() {
		Profile.Builder builder = Profile.builder(ProfileType.ALLOC, START, 1).maxStacks(3);
		for (int i = 0; i < 10; i++) {
			builder.add(List.of(new StackFrame("com.acme.Alloc", "m" + i, null, 0)), LabelSet.of("tenant", "t" + i), 1,
					100 + i);
		}
		Profile profile = builder.build(Duration.ofSeconds(1));
		assertThat(profile.samples()).hasSizeLessThanOrEqualTo(3);
		assertThat(profile.samples().stream().mapToLong((sample) -> sample.value(0)).sum()).isEqualTo(10);
		assertThat(profile.samples().stream().mapToLong((sample) -> sample.value(1)).sum()).isEqualTo(1045);
		assertThat(profile.samples()).contains(new Profile.Sample(List.of(new StackFrame("com.acme.Alloc", "m9", null, 0)),
				LabelSet.of("tenant", "t9"), new long[] { 1, 109 }));
		assertThat(profile.samples()).anySatisfy((sample) -> {
			assertThat(sample.stack()).isEqualTo(TRUNCATED);
			assertThat(sample.labels()).isEqualTo(LabelSet.empty());
		});
	}

	@Test
	void manyDistinctStacksStayBoundedAndKeepEverySampleAndTheHottest() {
		int cap = 1000;
		Profile.Builder builder = Profile.builder(ProfileType.CPU, START, 10).maxStacks(cap);
		long count = 0;
		long cpu = 0;
		for (int i = 0; i < 100_000; i++) {
			StackFrame leaf = new StackFrame("com.acme.Generated", "m" + i, null, 0);
			LabelSet labels = LabelSet.of("tenant", "t" + (i % 20));
			long value = (i % 1000 == 0) ? 1_000_000 : 1;
			builder.add(List.of(leaf, RUN), labels, 1, value);
			count++;
			cpu += value;
		}
		Profile profile = builder.build(Duration.ofSeconds(1));
		assertThat(profile.samples()).hasSizeLessThanOrEqualTo(cap);
		assertThat(profile.samples().stream().mapToLong((sample) -> sample.value(0)).sum()).isEqualTo(count);
		assertThat(profile.samples().stream().mapToLong((sample) -> sample.value(1)).sum()).isEqualTo(cpu);
		Map<Boolean, Long> hot = profile.samples()
			.stream()
			.filter((sample) -> sample.value(1) == 1_000_000)
			.collect(Collectors.partitioningBy((sample) -> sample.stack().equals(TRUNCATED), Collectors.counting()));
		assertThat(hot.get(false)).as("the 100 hot stacks are kept").isEqualTo(100);
		assertThat(profile.notes()).singleElement().asString().startsWith("Folded ");
	}

	@Test
	void capOfLessThanOneIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Profile.builder(ProfileType.CPU, START, 10).maxStacks(0))
			.withMessage("maxStacks must be at least 1, was 0");
	}

}
