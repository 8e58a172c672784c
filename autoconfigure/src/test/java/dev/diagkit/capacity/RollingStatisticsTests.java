package dev.diagkit.capacity;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RollingStatistics}: exact while a slot holds one sample, slot means and maxima when it
 * holds more, old slots leave the window, and non-numbers are ignored.
 */
class RollingStatisticsTests {

	private static final long SECOND = 1_000_000_000L;

	@Test
	void oneSamplePerSlotIsExact() {
		RollingStatistics statistics = new RollingStatistics(Duration.ofSeconds(100), 100);
		for (int i = 1; i <= 100; i++) {
			statistics.add(i, i * SECOND);
		}
		RollingStatistics.Summary summary = statistics.summary(100 * SECOND);
		assertThat(summary.samples()).isEqualTo(100);
		assertThat(summary.median()).isEqualTo(50.0);
		assertThat(summary.p99()).isEqualTo(99.0);
		assertThat(summary.peak()).isEqualTo(100.0);
	}

	@Test
	void severalSamplesPerSlotGiveMeansForTheMedianAndMaximaForP99AndPeak() {
		RollingStatistics statistics = new RollingStatistics(Duration.ofSeconds(10), 2);
		statistics.add(1, 0);
		statistics.add(3, SECOND);
		statistics.add(10, 6 * SECOND);
		statistics.add(20, 7 * SECOND);
		RollingStatistics.Summary summary = statistics.summary(7 * SECOND);
		assertThat(summary.samples()).isEqualTo(4);
		// slot means 2 and 15, maxima 3 and 20
		assertThat(summary.median()).isEqualTo(2.0);
		assertThat(summary.p99()).isEqualTo(20.0);
		assertThat(summary.peak()).isEqualTo(20.0);
	}

	@Test
	void samplesOlderThanTheWindowLeaveIt() {
		RollingStatistics statistics = new RollingStatistics(Duration.ofSeconds(10), 10);
		statistics.add(500, 0);
		statistics.add(1, 5 * SECOND);
		assertThat(statistics.summary(5 * SECOND).peak()).isEqualTo(500.0);
		assertThat(statistics.summary(12 * SECOND).peak()).isEqualTo(1.0);
		assertThat(statistics.summary(20 * SECOND).isEmpty()).isTrue();
		// a new sample reuses the slot of an expired one
		statistics.add(7, 20 * SECOND);
		assertThat(statistics.summary(20 * SECOND).samples()).isEqualTo(1);
	}

	@Test
	void nonNumbersAreNotKept() {
		RollingStatistics statistics = new RollingStatistics(Duration.ofSeconds(10), 10);
		statistics.add(Double.NaN, 0);
		statistics.add(Double.POSITIVE_INFINITY, 0);
		assertThat(statistics.summary(0).isEmpty()).isTrue();
		assertThat(statistics.summary(0).median()).isNaN();
	}

}
