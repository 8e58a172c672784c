package dev.diagkit.runtime;

import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@link LatencyHistogram}: contiguous buckets, percentiles within the promised error, and
 * differences of snapshots.
 */
class LatencyHistogramTests {

	@Test
	void bucketsAreContiguousAndEachValueFallsInsideItsBucket() {
		for (int index = 1; index < 200; index++) {
			assertThat(LatencyHistogram.upperBound(index)).isEqualTo(LatencyHistogram.lowerBound(index + 1));
			assertThat(LatencyHistogram.index(LatencyHistogram.lowerBound(index))).isEqualTo(index);
			assertThat(LatencyHistogram.index(LatencyHistogram.upperBound(index) - 1)).isEqualTo(index);
			long lower = LatencyHistogram.lowerBound(index);
			if (lower >= 1024) {
				assertThat((double) LatencyHistogram.upperBound(index) / lower).isLessThanOrEqualTo(1.125);
			}
		}
		assertThat(LatencyHistogram.index(0)).isZero();
		assertThat(LatencyHistogram.index(Long.MAX_VALUE)).isEqualTo(LatencyHistogram.index(1L << 40));
	}

	@Test
	void aDurationAloneInItsBucketIsEstimatedWithinSixPercent() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		for (int i = 0; i < 1000; i++) {
			long nanos = random.nextLong(2_000, 60_000_000_000L);
			LatencyHistogram histogram = new LatencyHistogram();
			histogram.record(nanos);
			assertThat(histogram.snapshot().percentileSeconds(0.99)).isCloseTo(nanos / 1e9, within(nanos / 1e9 * 0.0626));
		}
	}

	@Test
	void pausesJustUnderATargetStayUnderIt() {
		// G1's 200 ms goal and the 1 ms queue-wait target lie inside buckets
		LatencyHistogram pauses = new LatencyHistogram();
		for (int i = 0; i < 5; i++) {
			pauses.record(170_000_000L);
		}
		assertThat(pauses.snapshot().percentileSeconds(0.99)).isLessThan(0.2);
		LatencyHistogram waits = new LatencyHistogram();
		waits.record(900_000L);
		assertThat(waits.snapshot().percentileSeconds(0.99)).isLessThan(0.001);
	}

	@Test
	void percentilesOfAUniformDistributionAndOfAnInterval() {
		LatencyHistogram histogram = new LatencyHistogram();
		for (int millis = 1; millis <= 100; millis++) {
			histogram.record(millis * 1_000_000L);
		}
		LatencyHistogram.Counts first = histogram.snapshot();
		assertThat(first.count()).isEqualTo(100);
		assertThat(first.percentileSeconds(0.5)).isCloseTo(0.050, within(0.050 * 0.07));
		assertThat(first.percentileSeconds(0.99)).isCloseTo(0.099, within(0.099 * 0.07));
		assertThat(first.maxSeconds()).isBetween(0.1, 0.1125);
		for (int i = 0; i < 10; i++) {
			histogram.record(5_000_000_000L);
		}
		LatencyHistogram.Counts interval = histogram.snapshot().since(first);
		assertThat(interval.count()).isEqualTo(10);
		assertThat(interval.percentileSeconds(0.5)).isCloseTo(5.0, within(5.0 * 0.07));
		assertThat(LatencyHistogram.Counts.empty().percentileSeconds(0.99)).isNaN();
		assertThat(LatencyHistogram.Counts.empty().maxSeconds()).isNaN();
	}

}
