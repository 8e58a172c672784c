package dev.diagkit.metrics;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Function;

import dev.diagkit.runtime.CgroupMemory;
import dev.diagkit.runtime.ProcessCgroup;
import dev.diagkit.runtime.ProcessMemory;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The process's memory as the kernel sees it: resident set ({@code diagkit.process.memory.rss},
 * its peak) from {@code /proc/self/status}, and its cgroup's usage, limit and working set
 * ({@code diagkit.cgroup.memory.*}, cgroup v1 and v2). A meter whose file is missing when
 * binding is not registered; one whose file goes missing later reads NaN.
 */
public class ProcessMemoryMetrics implements MeterBinder {

	private static final Duration MAX_AGE = Duration.ofSeconds(1);

	private final Duration readingMaxAge;

	private final ProcessMemory process;

	private final CgroupMemory cgroup;

	private final Iterable<Tag> tags;

	/**
	 * Creates the binder for the files under the given roots.
	 * @param procRoot the root of the proc file system, normally {@code /proc}
	 * @param cgroupRoot where the cgroup file systems are mounted, normally
	 * {@code /sys/fs/cgroup}
	 * @param tags tags added to every meter
	 */
	public ProcessMemoryMetrics(Path procRoot, Path cgroupRoot, Iterable<Tag> tags) {
		this(procRoot, cgroupRoot, tags, MAX_AGE);
	}

	/**
	 * Creates the binder for the files under the given roots, choosing how long a reading
	 * of a file serves the meters fed by it.
	 * @param procRoot the root of the proc file system, normally {@code /proc}
	 * @param cgroupRoot where the cgroup file systems are mounted, normally
	 * {@code /sys/fs/cgroup}
	 * @param tags tags added to every meter
	 * @param readingMaxAge how long one reading of a file is reused (one second by default;
	 * zero reads the file for every meter)
	 */
	public ProcessMemoryMetrics(Path procRoot, Path cgroupRoot, Iterable<Tag> tags, Duration readingMaxAge) {
		this.readingMaxAge = readingMaxAge;
		this.process = new ProcessMemory(procRoot);
		this.cgroup = CgroupMemory.of(ProcessCgroup.detect(procRoot, cgroupRoot));
		this.tags = tags;
	}

	/**
	 * Creates the binder for this process.
	 */
	public ProcessMemoryMetrics() {
		this(ProcessCgroup.PROC_ROOT, ProcessCgroup.CGROUP_ROOT, List.of());
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		RecentReading<OptionalLong> rss = new RecentReading<>(this.process::rss, this.readingMaxAge);
		gauge(registry, "diagkit.process.memory.rss", "Resident set size of the process", rss, (v) -> v);
		RecentReading<OptionalLong> peak = new RecentReading<>(this.process::peakRss, this.readingMaxAge);
		gauge(registry, "diagkit.process.memory.rss.peak", "Highest resident set size of the process so far", peak,
				(v) -> v);
		RecentReading<CgroupMemory.Snapshot> cgroup = new RecentReading<>(this.cgroup::read, this.readingMaxAge);
		gauge(registry, "diagkit.cgroup.memory.usage", "Memory charged to the process's cgroup", cgroup,
				CgroupMemory.Snapshot::usage);
		gauge(registry, "diagkit.cgroup.memory.limit", "Effective memory limit of the process's cgroup", cgroup,
				CgroupMemory.Snapshot::limit);
		gauge(registry, "diagkit.cgroup.memory.working.set",
				"Working set of the process's cgroup: usage less inactive page cache, as Kubernetes counts it", cgroup,
				CgroupMemory.Snapshot::workingSet);
	}

	private <T> void gauge(MeterRegistry registry, String name, String description, RecentReading<T> reading,
			Function<T, OptionalLong> value) {
		if (value.apply(reading.get()).isEmpty()) {
			return;
		}
		Gauge.builder(name, reading, (r) -> {
			OptionalLong current = value.apply(r.get());
			return current.isPresent() ? current.getAsLong() : Double.NaN;
		})
			.tags(this.tags)
			.description(description)
			.baseUnit(BaseUnits.BYTES)
			// the reading exists only for this gauge: a weak reference would let it be collected
			.strongReference(true)
			.register(registry);
	}

}
