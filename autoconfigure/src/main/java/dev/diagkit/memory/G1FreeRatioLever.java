package dev.diagkit.memory;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

import javax.management.JMException;
import javax.management.ObjectName;

import com.sun.management.HotSpotDiagnosticMXBean;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Moves G1's heap towards a target through the manageable options G1 resizes by.
 * <ul>
 * <li>{@code MaxHeapFreeRatio} is set so that the live heap plus the free share it allows
 * is the target, and {@code MinHeapFreeRatio} no higher than that. G1 applies them after a
 * full collection and at the end of a concurrent cycle (Remark), so committed memory above
 * the target is uncommitted there.</li>
 * <li>A tighter target runs one collection at once through the {@code GC.run} diagnostic
 * command, which {@code -XX:+DisableExplicitGC} does not stop: a full collection, or a
 * concurrent cycle when the JVM runs with {@code -XX:+ExplicitGCInvokesConcurrent}.
 * Only tightening collects, so at most once a period.</li>
 * <li>{@code G1PeriodicGCInterval} is set to the controller's period while the target is
 * below the maximum heap, so that an idle application returns memory too.</li>
 * </ul>
 * At the maximum heap the options go back to what the JVM had.
 */
public final class G1FreeRatioLever implements HeapLever {

	static final String MIN_FREE = "MinHeapFreeRatio";

	static final String MAX_FREE = "MaxHeapFreeRatio";

	static final String PERIODIC = "G1PeriodicGCInterval";

	private static final Log logger = LogFactory.getLog(G1FreeRatioLever.class);

	private final HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);

	private final int originalMinFree = intOption(MIN_FREE);

	private final int originalMaxFree = intOption(MAX_FREE);

	private final String originalPeriodic = this.hotspot.getVMOption(PERIODIC).getValue();

	private final long maxHeap;

	private final Duration period;

	private final LongSupplier liveBytes;

	private long applied;

	/**
	 * Creates the lever.
	 * @param maxHeap the maximum heap: a target there puts the options back
	 * @param period the controller's period, the periodic collection interval while the
	 * target is tighter
	 * @param liveBytes the heap live after the latest collection, negative when not known
	 */
	public G1FreeRatioLever(long maxHeap, Duration period, LongSupplier liveBytes) {
		this.maxHeap = maxHeap;
		this.period = period;
		this.liveBytes = liveBytes;
		this.applied = maxHeap;
	}

	@Override
	public String name() {
		return MAX_FREE;
	}

	@Override
	public boolean moves() {
		return true;
	}

	@Override
	public void apply(long targetBytes) {
		if (targetBytes >= this.maxHeap) {
			restore();
			this.applied = targetBytes;
			return;
		}
		long live = this.liveBytes.getAsLong();
		if (live <= 0) {
			live = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
		}
		setRatios(maxFreeFor(targetBytes, live));
		this.hotspot.setVMOption(PERIODIC, Long.toString(Math.max(1, this.period.toMillis())));
		boolean tighter = targetBytes < this.applied;
		this.applied = targetBytes;
		if (tighter) {
			collect();
			// the collection measured the live heap: aim the next resizes (Remark) at the target
			long measured = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
			setRatios(maxFreeFor(targetBytes, measured));
		}
	}

	@Override
	public Optional<String> advice() {
		return UncommitAdvice.of(Collector.G1);
	}

	@Override
	public void restore() {
		setRatios(this.originalMaxFree, this.originalMinFree);
		this.hotspot.setVMOption(PERIODIC, this.originalPeriodic);
	}

	/**
	 * Returns the free share after a collection that makes a heap of the live bytes the
	 * target, in whole percent: never above the JVM's own, never below 1.
	 */
	int maxFreeFor(long targetBytes, long live) {
		long percent = (targetBytes <= live) ? 0 : ((targetBytes - live) * 100) / targetBytes;
		return (int) Math.max(1, Math.min(this.originalMaxFree, percent));
	}

	private void setRatios(int maxFree) {
		setRatios(maxFree, Math.min(this.originalMinFree, maxFree));
	}

	/** Keeps min at or below max at every step, since the JVM refuses either otherwise. */
	private void setRatios(int maxFree, int minFree) {
		this.hotspot.setVMOption(MIN_FREE, Integer.toString(Math.min(minFree, intOption(MAX_FREE))));
		this.hotspot.setVMOption(MAX_FREE, Integer.toString(maxFree));
		this.hotspot.setVMOption(MIN_FREE, Integer.toString(minFree));
	}

	private int intOption(String name) {
		return Integer.parseInt(this.hotspot.getVMOption(name).getValue());
	}

	private static void collect() {
		try {
			ManagementFactory.getPlatformMBeanServer()
				.invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcRun",
						new Object[] { new String[0] }, new String[] { String[].class.getName() });
		}
		catch (JMException ex) {
			logger.warn("G1 heap target: the collection that applies it could not be run (" + ex
					+ "); it applies at G1's next Remark or full collection");
		}
	}

}
