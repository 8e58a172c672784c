package dev.diagkit.memory;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Telling the collector apart by its beans' names (as JDK 17 and JDK 25 name them), the
 * lever each gets, and {@code SoftMaxHeapSize} moved and put back in this JVM (the option is
 * manageable whatever the collector).
 */
class HeapLeverTests {

	@Test
	void collectorsAreToldApartByTheirBeansNames() {
		assertThat(Collector.of(List.of("ZGC Cycles", "ZGC Pauses"))).isEqualTo(Collector.ZGC);
		assertThat(Collector.of(List.of("ZGC Minor Cycles", "ZGC Minor Pauses", "ZGC Major Cycles",
				"ZGC Major Pauses"))).isEqualTo(Collector.ZGC);
		assertThat(Collector.of(List.of("Shenandoah Pauses", "Shenandoah Cycles"))).isEqualTo(Collector.SHENANDOAH);
		assertThat(Collector.of(List.of("G1 Young Generation", "G1 Concurrent GC", "G1 Old Generation")))
			.isEqualTo(Collector.G1);
		assertThat(Collector.of(List.of("Copy", "MarkSweepCompact"))).isEqualTo(Collector.SERIAL);
		assertThat(Collector.of(List.of("PS Scavenge", "PS MarkSweep"))).isEqualTo(Collector.PARALLEL);
		assertThat(Collector.of(List.of("Epsilon Heap"))).isEqualTo(Collector.OTHER);
	}

	@Test
	void onlyZgcAndShenandoahGetALeverThatMoves() {
		assertThat(HeapLever.of(Collector.ZGC)).isInstanceOf(SoftMaxHeapSizeLever.class);
		assertThat(HeapLever.of(Collector.SHENANDOAH)).isInstanceOf(SoftMaxHeapSizeLever.class);
		for (Collector collector : List.of(Collector.G1, Collector.SERIAL, Collector.PARALLEL, Collector.OTHER)) {
			HeapLever lever = HeapLever.of(collector);
			assertThat(lever.moves()).as("%s moves", collector).isFalse();
			assertThat(lever.name()).contains(collector.name());
		}
	}

	@Test
	void softMaxHeapSizeIsSetAndPutBack() {
		SoftMaxHeapSizeLever lever = new SoftMaxHeapSizeLever();
		long original = lever.current();
		long target = Runtime.getRuntime().maxMemory() / 2;
		try {
			lever.apply(target);
			assertThat(lever.current()).isEqualTo(target);
		}
		finally {
			lever.restore();
		}
		assertThat(lever.current()).isEqualTo(original);
	}

}
