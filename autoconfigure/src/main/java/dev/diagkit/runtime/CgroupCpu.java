package dev.diagkit.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import org.jspecify.annotations.Nullable;

/**
 * The CPU quota of this process's cgroup and how often the kernel throttled it, read from
 * the CPU controller's files each time a value is asked for: {@code cpu.max} and
 * {@code cpu.stat} on cgroup v2, {@code cpu.cfs_quota_us}, {@code cpu.cfs_period_us} and
 * {@code cpu.stat} on v1. A quota is a number of CPUs a process may use per scheduling
 * period; once the cgroup has used it, all its threads wait for the next period, which shows
 * as latency long before CPU looks full.
 * <p>
 * Values are empty when they are not known: no CPU controller, a missing or malformed file,
 * or, for the limit, no quota ({@code max} on v2, {@code -1} on v1). Where a parent cgroup
 * has a smaller quota on v2, the smallest on the way to the root is the limit, and the
 * throttling is read where that quota is set: the kernel counts periods and throttling in
 * the cgroup that has the quota, and leaves them at 0 in the cgroups below it.
 */
public final class CgroupCpu {

	private static final int MAX_ANCESTORS = 64;

	private final ProcessCgroup.Layout source;

	private final @Nullable Path directory;

	private CgroupCpu(ProcessCgroup.Layout source, @Nullable Path directory) {
		this.source = source;
		this.directory = directory;
	}

	/**
	 * Returns the CPU reader of the running process's cgroup.
	 * @return the reader
	 */
	public static CgroupCpu forThisProcess() {
		return of(ProcessCgroup.forThisProcess());
	}

	/**
	 * Returns the CPU reader of a process's cgroup.
	 * @param cgroup the cgroup, from {@link ProcessCgroup#detect(Path, Path)}
	 * @return the reader
	 */
	public static CgroupCpu of(ProcessCgroup cgroup) {
		Optional<Path> v1 = cgroup.controllerDirectory("cpu");
		if (v1.isPresent()) {
			return new CgroupCpu(ProcessCgroup.Layout.V1, v1.get());
		}
		Optional<Path> unified = cgroup.unifiedDirectory();
		if (unified.isPresent() && cgroup.layout() == ProcessCgroup.Layout.V2) {
			return new CgroupCpu(ProcessCgroup.Layout.V2, unified.get());
		}
		return new CgroupCpu(ProcessCgroup.Layout.NONE, null);
	}

	/**
	 * Returns which hierarchy the values are read from: {@link ProcessCgroup.Layout#V1} or
	 * {@link ProcessCgroup.Layout#V2}.
	 * @return the CPU controller's hierarchy, or {@link ProcessCgroup.Layout#NONE}
	 */
	public ProcessCgroup.Layout source() {
		return this.source;
	}

	/**
	 * Reads the quota as a number of CPUs: quota divided by period.
	 * @return the CPUs the cgroup may use, such as {@code 1.5}, or empty without a quota
	 */
	public OptionalDouble limit() {
		Path dir = this.directory;
		if (dir == null) {
			return OptionalDouble.empty();
		}
		if (this.source == ProcessCgroup.Layout.V1) {
			return cores(KernelFiles.readLong(dir.resolve("cpu.cfs_quota_us")).orElse(-1),
					KernelFiles.readLong(dir.resolve("cpu.cfs_period_us")).orElse(-1));
		}
		Quota quota = v2Quota(dir);
		return (quota != null) ? OptionalDouble.of(quota.cores()) : OptionalDouble.empty();
	}

	/** The smallest v2 quota from {@code dir} up to the root, and where it is set. */
	private static @Nullable Quota v2Quota(Path dir) {
		Quota smallest = null;
		Path current = dir;
		for (int i = 0; i < MAX_ANCESTORS && current != null; i++) {
			Path file = current.resolve("cpu.max");
			if (!Files.isRegularFile(file)) {
				break;
			}
			OptionalDouble cores = v2Cores(KernelFiles.read(file));
			if (cores.isPresent() && (smallest == null || cores.getAsDouble() < smallest.cores())) {
				smallest = new Quota(cores.getAsDouble(), current);
			}
			current = current.getParent();
		}
		return smallest;
	}

	/**
	 * Reads the scheduling periods and throttling so far ({@code cpu.stat}) of the cgroup
	 * whose quota is the {@link #limit() limit}, or of the process's own cgroup without one.
	 * @return the counters, or empty when the file is missing or lacks them
	 */
	public Optional<Throttling> throttling() {
		Path dir = this.directory;
		if (dir == null) {
			return Optional.empty();
		}
		if (this.source == ProcessCgroup.Layout.V2) {
			Quota quota = v2Quota(dir);
			if (quota != null) {
				dir = quota.directory();
			}
		}
		Map<String, Long> stat = KernelFiles.readKeyedLongs(dir.resolve("cpu.stat"));
		if (stat == null) {
			return Optional.empty();
		}
		Long periods = stat.get("nr_periods");
		Long throttled = stat.get("nr_throttled");
		// v2 counts throttled time in microseconds, v1 in nanoseconds
		Long micros = stat.get("throttled_usec");
		Long nanos = stat.get("throttled_time");
		if (periods == null || throttled == null || (micros == null && nanos == null)) {
			return Optional.empty();
		}
		double seconds = (micros != null) ? micros / 1e6 : nanos / 1e9;
		return Optional.of(new Throttling(periods, throttled, seconds));
	}

	private static OptionalDouble v2Cores(@Nullable String text) {
		if (text == null) {
			return OptionalDouble.empty();
		}
		String[] parts = text.trim().split("\\s+");
		if (parts.length != 2 || parts[0].equals("max")) {
			return OptionalDouble.empty();
		}
		try {
			return cores(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
		}
		catch (NumberFormatException ex) {
			return OptionalDouble.empty();
		}
	}

	private static OptionalDouble cores(long quota, long period) {
		return (quota > 0 && period > 0) ? OptionalDouble.of((double) quota / period) : OptionalDouble.empty();
	}

	@Override
	public String toString() {
		return "CgroupCpu[" + this.source + ", " + this.directory + "]";
	}

	/**
	 * The CFS bandwidth counters of a cgroup, as counted since it was created.
	 *
	 * @param periods scheduling periods in which the cgroup had runnable threads
	 * @param throttledPeriods periods in which it ran out of quota
	 * @param throttledSeconds how long its threads were held back in all
	 */
	public record Throttling(long periods, long throttledPeriods, double throttledSeconds) {
	}

	private record Quota(double cores, Path directory) {
	}

}
