package dev.diagkit.memory;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;

/**
 * The garbage collector the JVM runs, told apart by the names of its
 * {@link GarbageCollectorMXBean}s, and what it offers to move the heap target.
 */
public enum Collector {

	/** ZGC, single or generational: honours {@code SoftMaxHeapSize}. */
	ZGC(true),

	/** Shenandoah: honours {@code SoftMaxHeapSize}. */
	SHENANDOAH(true),

	/** G1: shrinks through its free ratios ({@link G1FreeRatioLever}). */
	G1(false),

	/** The serial collector: nothing to move at run time. */
	SERIAL(false),

	/** The parallel collector: nothing to move at run time. */
	PARALLEL(false),

	/** Anything else, such as Epsilon. */
	OTHER(false);

	private final boolean honoursSoftMaxHeapSize;

	Collector(boolean honoursSoftMaxHeapSize) {
		this.honoursSoftMaxHeapSize = honoursSoftMaxHeapSize;
	}

	/**
	 * Returns whether the collector keeps the heap near {@code SoftMaxHeapSize}. The flag is
	 * manageable whatever the collector, but G1, Serial and Parallel ignore it.
	 * @return whether it honours the flag
	 */
	public boolean honoursSoftMaxHeapSize() {
		return this.honoursSoftMaxHeapSize;
	}

	/**
	 * Returns the collector this JVM runs.
	 * @return the collector
	 */
	public static Collector running() {
		return of(ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName).toList());
	}

	/**
	 * Returns the collector whose beans have these names.
	 * @param beanNames the names, such as {@code G1 Young Generation}
	 * @return the collector, {@link #OTHER} when none is recognised
	 */
	public static Collector of(Collection<String> beanNames) {
		for (String name : beanNames) {
			if (name.startsWith("ZGC")) {
				return ZGC;
			}
			if (name.startsWith("Shenandoah")) {
				return SHENANDOAH;
			}
			if (name.startsWith("G1")) {
				return G1;
			}
			if (List.of("Copy", "MarkSweepCompact").contains(name)) {
				return SERIAL;
			}
			if (name.startsWith("PS ")) {
				return PARALLEL;
			}
		}
		return OTHER;
	}

}
