package dev.diagkit.runtime;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;

/**
 * Listens to the JVM's garbage collection notifications: every pause goes into a
 * {@link LatencyHistogram} (G1's Remark and Cleanup too, which Micrometer files as concurrent
 * phases; whole concurrent cycles of ZGC and Shenandoah are left out), and the heap in use at
 * the end of each collection is kept, an upper bound of the live data. Collections something
 * asked for ({@code System.gc()}, diagkit's own {@code POST /actuator/diag/gc}, {@code jcmd
 * GC.run}, heap dumps) are not the collector keeping up with the application: their pauses go
 * to a histogram of their own. Closing it removes the listeners.
 */
public final class GcActivity implements NotificationListener, AutoCloseable {

	private static final Set<String> COLLECTION_ENDS = Set.of("end of minor GC", "end of major GC",
			"end of GC cycle");

	/** The causes HotSpot gives collections that were asked for rather than needed. */
	public static final Set<String> EXPLICIT_CAUSES = Set.of("System.gc()", "Diagnostic Command",
			"Heap Inspection Initiated GC", "Heap Dump Initiated GC", "JvmtiEnv ForceGarbageCollection",
			"WhiteBox Initiated Young GC", "WhiteBox Initiated Full GC");

	private final LatencyHistogram pauses = new LatencyHistogram();

	private final LatencyHistogram explicitPauses = new LatencyHistogram();

	private final Set<String> heapPools = new HashSet<>();

	private final List<NotificationEmitter> emitters = new ArrayList<>();

	private volatile long heapAfterGc = -1;

	/**
	 * Starts listening to every collector's notifications.
	 */
	public GcActivity() {
		for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
			if (pool.getType() == MemoryType.HEAP) {
				this.heapPools.add(pool.getName());
			}
		}
		for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
			if (gc instanceof NotificationEmitter emitter) {
				emitter.addNotificationListener(this, null, null);
				this.emitters.add(emitter);
			}
		}
	}

	@Override
	public void handleNotification(Notification notification, Object handback) {
		if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
			return;
		}
		GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo
			.from((CompositeData) notification.getUserData());
		GcInfo gc = info.getGcInfo();
		record(info.getGcName(), info.getGcAction(), info.getGcCause(), gc.getDuration(), gc.getMemoryUsageAfterGc());
	}

	/**
	 * Takes one collection with an unknown cause into account.
	 * @param name the collector bean's name, such as {@code G1 Young Generation}
	 * @param action what ended, such as {@code end of minor GC}
	 * @param durationMillis how long it took, in milliseconds
	 * @param afterGc each memory pool's usage after it
	 */
	void record(String name, String action, long durationMillis, Map<String, MemoryUsage> afterGc) {
		record(name, action, "unknown", durationMillis, afterGc);
	}

	/**
	 * Takes one collection into account.
	 * @param name the collector bean's name, such as {@code G1 Young Generation}
	 * @param action what ended, such as {@code end of minor GC}
	 * @param cause why it ran, such as {@code G1 Evacuation Pause} or {@code System.gc()}
	 * @param durationMillis how long it took, in milliseconds
	 * @param afterGc each memory pool's usage after it
	 */
	void record(String name, String action, String cause, long durationMillis, Map<String, MemoryUsage> afterGc) {
		// "... Cycles" beans (ZGC, Shenandoah) time whole concurrent cycles; every other bean
		// times pauses, G1's Remark and Cleanup ("G1 Concurrent GC") included
		if (!name.endsWith("Cycles")) {
			(EXPLICIT_CAUSES.contains(cause) ? this.explicitPauses : this.pauses)
				.record(TimeUnit.MILLISECONDS.toNanos(durationMillis));
		}
		// only the end of a collection says what survived: after a pause that is not one (G1's
		// Remark and Cleanup, ZGC's and Shenandoah's pauses) the pools hold everything, or zeroes
		if (COLLECTION_ENDS.contains(action)) {
			long after = 0;
			for (Map.Entry<String, MemoryUsage> pool : afterGc.entrySet()) {
				if (this.heapPools.contains(pool.getKey())) {
					after += pool.getValue().getUsed();
				}
			}
			this.heapAfterGc = after;
		}
	}

	/**
	 * Returns the pauses of the collections the collector needed, recorded so far.
	 * @return the pause durations
	 */
	public LatencyHistogram.Counts pauses() {
		return this.pauses.snapshot();
	}

	/**
	 * Returns the pauses of collections something asked for ({@link #EXPLICIT_CAUSES}).
	 * @return the pause durations
	 */
	public LatencyHistogram.Counts explicitPauses() {
		return this.explicitPauses.snapshot();
	}

	/**
	 * Returns the heap in use after the latest collection.
	 * @return bytes, or -1 before the first collection of this JVM
	 */
	public long heapAfterGc() {
		long notified = this.heapAfterGc;
		return (notified >= 0) ? notified : collectionUsage();
	}

	/**
	 * Sums what the heap pools held after their latest collection, for the time before the
	 * first notification.
	 */
	private static long collectionUsage() {
		long used = 0;
		boolean collected = false;
		for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
			MemoryUsage usage = (pool.getType() == MemoryType.HEAP) ? pool.getCollectionUsage() : null;
			if (usage != null) {
				used += usage.getUsed();
				collected |= usage.getUsed() > 0;
			}
		}
		return collected ? used : -1;
	}

	/**
	 * Stops listening.
	 */
	@Override
	public void close() {
		for (NotificationEmitter emitter : this.emitters) {
			try {
				emitter.removeNotificationListener(this);
			}
			catch (ListenerNotFoundException ex) {
				// already removed
			}
		}
		this.emitters.clear();
	}

}
