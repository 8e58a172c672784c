package dev.diagkit.runtime;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import java.lang.management.PlatformManagedObject;
import java.util.Optional;

/**
 * The virtual-thread scheduler's figures from {@code jdk.management.VirtualThreadSchedulerMXBean}
 * (JDK 24 and later), read reflectively so that the code runs on Java 17.
 */
public final class VirtualThreadScheduler {

	private static final String MX_BEAN = "jdk.management.VirtualThreadSchedulerMXBean";

	private final Object bean;

	private final MethodHandle mounted;

	private final MethodHandle queued;

	private final MethodHandle parallelism;

	private final MethodHandle poolSize;

	private VirtualThreadScheduler(Object bean, MethodHandle mounted, MethodHandle queued, MethodHandle parallelism,
			MethodHandle poolSize) {
		this.bean = bean;
		this.mounted = mounted;
		this.queued = queued;
		this.parallelism = parallelism;
		this.poolSize = poolSize;
	}

	/**
	 * Finds the scheduler's MXBean.
	 * @return the scheduler, or empty before JDK 24
	 */
	public static Optional<VirtualThreadScheduler> find() {
		try {
			Class<? extends PlatformManagedObject> type = Class.forName(MX_BEAN)
				.asSubclass(PlatformManagedObject.class);
			PlatformManagedObject bean = ManagementFactory.getPlatformMXBean(type);
			MethodHandles.Lookup lookup = MethodHandles.publicLookup();
			MethodType intResult = MethodType.methodType(int.class);
			return Optional.of(new VirtualThreadScheduler(bean,
					lookup.findVirtual(type, "getMountedVirtualThreadCount", intResult),
					lookup.findVirtual(type, "getQueuedVirtualThreadCount", MethodType.methodType(long.class)),
					lookup.findVirtual(type, "getParallelism", intResult),
					lookup.findVirtual(type, "getPoolSize", intResult)));
		}
		catch (ReflectiveOperationException | RuntimeException | LinkageError ex) {
			return Optional.empty();
		}
	}

	/**
	 * Returns the virtual threads mounted on a carrier thread now.
	 * @return the count, or NaN if it cannot be read
	 */
	public double mounted() {
		return read(this.mounted);
	}

	/**
	 * Returns the virtual threads queued for a carrier thread now.
	 * @return the count, or NaN if it cannot be read
	 */
	public double queued() {
		return read(this.queued);
	}

	/**
	 * Returns the scheduler's target parallelism.
	 * @return the count, or NaN if it cannot be read
	 */
	public double parallelism() {
		return read(this.parallelism);
	}

	/**
	 * Returns the carrier threads the scheduler has started.
	 * @return the count, or NaN if it cannot be read
	 */
	public double poolSize() {
		return read(this.poolSize);
	}

	private double read(MethodHandle reader) {
		try {
			return ((Number) reader.invoke(this.bean)).doubleValue();
		}
		catch (Throwable ex) {
			return Double.NaN;
		}
	}

}
