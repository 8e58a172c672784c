package dev.diagkit.memory;

import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * What carries a heap target out in the running JVM: a manageable VM option the collector
 * honours. Collectors without one get a lever that moves nothing, so the controller
 * reports what it would do.
 */
public interface HeapLever {

	/**
	 * Returns what the lever moves, for logs and the endpoint, such as
	 * {@code SoftMaxHeapSize}.
	 * @return the name
	 */
	String name();

	/**
	 * Returns whether the lever moves the heap; {@code false} means observe-only.
	 * @return whether targets take effect
	 */
	boolean moves();

	/**
	 * Sets the heap target.
	 * @param targetBytes the target
	 */
	void apply(long targetBytes);

	/**
	 * Puts back what the JVM had before the lever first moved.
	 */
	void restore();

	/**
	 * Returns what the JVM's start options keep the lever from doing, such as an uncommit
	 * delay of minutes; the controller logs it as a WARN when it starts.
	 * @return the advice, or empty
	 */
	default Optional<String> advice() {
		return Optional.empty();
	}

	/**
	 * Returns the lever of a collector: {@link SoftMaxHeapSizeLever} for those that honour
	 * {@code SoftMaxHeapSize}, {@link G1FreeRatioLever} for G1, one that moves nothing for
	 * the others.
	 * @param collector the running collector
	 * @param maxHeap the maximum heap
	 * @param period the controller's period
	 * @param liveBytes the heap live after the latest collection, negative when not known
	 * @return the lever
	 */
	static HeapLever of(Collector collector, long maxHeap, Duration period, LongSupplier liveBytes) {
		if (collector.honoursSoftMaxHeapSize()) {
			return new SoftMaxHeapSizeLever(collector);
		}
		return (collector == Collector.G1) ? new G1FreeRatioLever(maxHeap, period, liveBytes)
				: new ObservingLever(collector);
	}

}
