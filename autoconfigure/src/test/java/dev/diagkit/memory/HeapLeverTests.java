package dev.diagkit.memory;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.sun.management.HotSpotDiagnosticMXBean;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Telling the collector apart by its beans' names (as JDK 17 and JDK 25 name them), the
 * lever each gets, {@code SoftMaxHeapSize} and G1's free ratios moved and put back in this
 * JVM (the options are manageable whatever the collector).
 */
class HeapLeverTests {

	private static final long MB = 1024 * 1024;

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
	void zgcShenandoahAndG1GetALeverThatMoves() {
		assertThat(lever(Collector.ZGC)).isInstanceOf(SoftMaxHeapSizeLever.class);
		assertThat(lever(Collector.SHENANDOAH)).isInstanceOf(SoftMaxHeapSizeLever.class);
		assertThat(lever(Collector.G1)).isInstanceOf(G1FreeRatioLever.class);
		assertThat(lever(Collector.G1).moves()).isTrue();
		for (Collector collector : List.of(Collector.SERIAL, Collector.PARALLEL, Collector.OTHER)) {
			HeapLever lever = lever(collector);
			assertThat(lever.moves()).as("%s moves", collector).isFalse();
			assertThat(lever.name()).contains(collector.name());
		}
	}

	@Test
	void g1FreeRatiosAreSetFromTheTargetAndTheLiveHeapAndPutBack() {
		HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
		Map<String, String> original = g1Options(hotspot);
		long max = Runtime.getRuntime().maxMemory();
		G1FreeRatioLever lever = new G1FreeRatioLever(max, Duration.ofSeconds(7), () -> 150 * MB);
		assertThat(lever.maxFreeFor(300 * MB, 150 * MB)).isEqualTo(50);
		assertThat(lever.maxFreeFor(300 * MB, 299 * MB)).as("never 0").isEqualTo(1);
		assertThat(lever.maxFreeFor(300 * MB, 10 * MB)).as("never above the JVM's own")
			.isEqualTo(Integer.parseInt(original.get("MaxHeapFreeRatio")));
		System.gc();
		// twice the heap in use: the free share the lever sets is about half, under the JVM's 70%
		long target = 2 * ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
		try {
			lever.apply(target);
			Map<String, String> applied = g1Options(hotspot);
			int maxFree = Integer.parseInt(applied.get("MaxHeapFreeRatio"));
			assertThat(maxFree).isLessThan(Integer.parseInt(original.get("MaxHeapFreeRatio")));
			assertThat(Integer.parseInt(applied.get("MinHeapFreeRatio"))).isLessThanOrEqualTo(maxFree);
			assertThat(applied.get("G1PeriodicGCInterval")).isEqualTo("7000");
			lever.apply(max);
			assertThat(g1Options(hotspot)).as("at the maximum heap").isEqualTo(original);
			lever.apply(target);
		}
		finally {
			lever.restore();
		}
		assertThat(g1Options(hotspot)).isEqualTo(original);
	}

	private static Map<String, String> g1Options(HotSpotDiagnosticMXBean hotspot) {
		Map<String, String> options = new TreeMap<>();
		for (String name : List.of("MinHeapFreeRatio", "MaxHeapFreeRatio", "G1PeriodicGCInterval")) {
			options.put(name, hotspot.getVMOption(name).getValue());
		}
		return options;
	}

	private static HeapLever lever(Collector collector) {
		return HeapLever.of(collector, Runtime.getRuntime().maxMemory(), Duration.ofSeconds(10), () -> -1);
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
