package dev.diagkit.runtime;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link GcActivity} with the notifications each collector sends: which count as pauses, and
 * which tell the heap after a collection.
 */
class GcActivityTests {

	@Test
	void pausesIncludeG1RemarkAndCleanupButNotConcurrentCycles() {
		try (GcActivity gc = new GcActivity()) {
			long before = gc.pauses().count();
			gc.record("G1 Young Generation", "end of minor GC", 12, Map.of());
			gc.record("G1 Concurrent GC", "end of concurrent GC pause", 3, Map.of());
			gc.record("ZGC Major Pauses", "end of GC pause", 0, Map.of());
			gc.record("ZGC Major Cycles", "end of GC cycle", 450, Map.of());
			gc.record("Shenandoah Cycles", "end of GC cycle", 300, Map.of());
			assertThat(gc.pauses().count() - before).isEqualTo(3);
		}
	}

	@Test
	void collectionsSomethingAskedForGoToTheirOwnHistogram() {
		try (GcActivity gc = new GcActivity()) {
			long explicit = gc.explicitPauses().count();
			long needed = gc.pauses().count();
			gc.record("G1 Old Generation", "end of major GC", "System.gc()", 40, Map.of());
			gc.record("G1 Old Generation", "end of major GC", "Diagnostic Command", 35, Map.of());
			assertThat(gc.explicitPauses().count() - explicit).isEqualTo(2);
			gc.record("G1 Young Generation", "end of minor GC", "G1 Evacuation Pause", 5, Map.of());
			assertThat(gc.pauses().count() - needed).isEqualTo(1);
			// a real System.gc(): the JVM's own notification names the cause
			long before = gc.explicitPauses().count();
			System.gc();
			Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> gc.explicitPauses().count() > before);
		}
	}

	@Test
	void onlyTheEndOfACollectionSetsTheHeapAfterGc() {
		try (GcActivity gc = new GcActivity()) {
			long pools = heapPoolCount();
			gc.record("G1 Young Generation", "end of minor GC", 12, heapPools(40_000_000L));
			assertThat(gc.heapAfterGc()).isEqualTo(40_000_000L * pools);
			// Remark runs with eden full; ZGC's pauses report empty pools
			gc.record("G1 Concurrent GC", "end of concurrent GC pause", 3, heapPools(300_000_000L));
			gc.record("ZGC Major Pauses", "end of GC pause", 0, heapPools(0));
			assertThat(gc.heapAfterGc()).isEqualTo(40_000_000L * pools);
			gc.record("ZGC Major Cycles", "end of GC cycle", 450, heapPools(7_000_000L));
			assertThat(gc.heapAfterGc()).isEqualTo(7_000_000L * pools);
		}
	}

	private static long heapPoolCount() {
		return ManagementFactory.getMemoryPoolMXBeans().stream().filter((pool) -> pool.getType() == MemoryType.HEAP).count();
	}

	private static Map<String, MemoryUsage> heapPools(long usedEach) {
		Map<String, MemoryUsage> pools = new HashMap<>();
		for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
			if (pool.getType() == MemoryType.HEAP) {
				pools.put(pool.getName(), new MemoryUsage(0, usedEach, usedEach, -1));
			}
		}
		// non-heap pools are in the map too, and not counted
		pools.put("Metaspace", new MemoryUsage(0, 123, 123, -1));
		return pools;
	}

}
