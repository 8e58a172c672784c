package dev.diagkit.endpoint;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.ResponseEntity;

/**
 * {@code POST /actuator/diag/gc}: forces a full garbage collection and says what it freed.
 */
public final class GcSection implements DiagSectionHandler {

	@Override
	public DiagSection section() {
		return DiagSection.GC;
	}

	@Override
	public ResponseEntity<?> read(DiagRequest request) {
		throw MethodNotAllowedException.of(section());
	}

	@Override
	public ResponseEntity<?> write(DiagRequest request) {
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		long collectionsBefore = collections();
		long before = memory.getHeapMemoryUsage().getUsed();
		long start = System.nanoTime();
		memory.gc();
		long nanos = System.nanoTime() - start;
		long after = memory.getHeapMemoryUsage().getUsed();
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("heapUsedBeforeBytes", before);
		body.put("heapUsedAfterBytes", after);
		body.put("freedBytes", before - after);
		body.put("durationMillis", nanos / 1_000_000.0);
		body.put("collections", collections() - collectionsBefore);
		return DiagResponses.json(body);
	}

	private static long collections() {
		long count = 0;
		for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
			count += Math.max(0, gc.getCollectionCount());
		}
		return count;
	}

}
