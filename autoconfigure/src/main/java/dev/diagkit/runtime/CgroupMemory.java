package dev.diagkit.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import org.jspecify.annotations.Nullable;

/**
 * The memory of this process's cgroup: usage, limit and working set, read from the memory
 * controller's files each time a value is asked for. Works on cgroup v2 ({@code memory.current},
 * {@code memory.max}, {@code memory.stat}) and v1 ({@code memory.usage_in_bytes},
 * {@code memory.limit_in_bytes}, {@code memory.stat}); on a hybrid machine the memory
 * controller is read wherever it is mounted (v1, usually).
 * <p>
 * Every value is empty when it is not known: no memory controller (the root cgroup of v2,
 * a container without the controller, not Linux), a missing or malformed file, or, for the
 * limit, no limit set ({@code max} on v2, a value near {@link Long#MAX_VALUE} on v1).
 */
public final class CgroupMemory {

	/**
	 * v1 writes "no limit" as the largest page multiple below {@link Long#MAX_VALUE}
	 * (9223372036854771712 with 4 KiB pages); any limit from 4 EiB up is taken as none.
	 */
	private static final long NO_LIMIT = 1L << 62;

	private static final int MAX_ANCESTORS = 64;

	private final Source source;

	private final @Nullable Path directory;

	private CgroupMemory(Source source, @Nullable Path directory) {
		this.source = source;
		this.directory = directory;
	}

	/**
	 * Returns the cgroup memory of the running process.
	 * @return the cgroup memory reader
	 */
	public static CgroupMemory forThisProcess() {
		return of(ProcessCgroup.forThisProcess());
	}

	/**
	 * Returns the memory reader of a process's cgroup.
	 * @param cgroup the cgroup, from {@link ProcessCgroup#detect(Path, Path)}
	 * @return the reader
	 */
	public static CgroupMemory of(ProcessCgroup cgroup) {
		Optional<Path> v1 = cgroup.controllerDirectory("memory");
		if (v1.isPresent()) {
			return new CgroupMemory(Source.V1, v1.get());
		}
		Optional<Path> unified = cgroup.unifiedDirectory();
		if (unified.isPresent()) {
			return new CgroupMemory(Source.V2, unified.get());
		}
		return new CgroupMemory(Source.NONE, null);
	}

	/**
	 * Returns where the values are read from.
	 * @return the memory controller's hierarchy, or {@link Source#NONE}
	 */
	public Source source() {
		return this.source;
	}

	/**
	 * Returns the directory whose files are read.
	 * @return the memory controller's directory of this cgroup, or empty
	 */
	public Optional<Path> directory() {
		return Optional.ofNullable(this.directory);
	}

	/**
	 * Reads the memory charged to the cgroup ({@code memory.current} on v2,
	 * {@code memory.usage_in_bytes} on v1).
	 * @return the usage in bytes, or empty
	 */
	public OptionalLong usage() {
		if (this.directory == null) {
			return OptionalLong.empty();
		}
		String file = (this.source == Source.V2) ? "memory.current" : "memory.usage_in_bytes";
		return nonNegative(KernelFiles.readLong(this.directory.resolve(file)));
	}

	/**
	 * Reads the effective memory limit: the lowest {@code memory.max} of this cgroup and its
	 * ancestors on v2; the lower of {@code memory.limit_in_bytes} and the
	 * {@code hierarchical_memory_limit} of {@code memory.stat} on v1. A limit above the
	 * machine's memory is reported as set.
	 * @return the limit in bytes, or empty when none is set or it cannot be read
	 */
	public OptionalLong limit() {
		if (this.directory == null) {
			return OptionalLong.empty();
		}
		if (this.source == Source.V2) {
			return v2Limit(this.directory);
		}
		return v1Limit(this.directory, KernelFiles.readKeyedLongs(this.directory.resolve("memory.stat")));
	}

	private static OptionalLong v1Limit(Path directory, @Nullable Map<String, Long> stat) {
		long limit = limitOrMax(KernelFiles.readLong(directory.resolve("memory.limit_in_bytes")));
		Long hierarchical = (stat != null) ? stat.get("hierarchical_memory_limit") : null;
		if (hierarchical != null) {
			limit = Math.min(limit, limitOrMax(OptionalLong.of(hierarchical)));
		}
		return (limit != Long.MAX_VALUE) ? OptionalLong.of(limit) : OptionalLong.empty();
	}

	private static OptionalLong v2Limit(Path directory) {
		long limit = Long.MAX_VALUE;
		Path current = directory;
		// memory.max exists from the root's children down, wherever the controller is enabled
		for (int i = 0; i < MAX_ANCESTORS && current != null; i++) {
			Path file = current.resolve("memory.max");
			if (!Files.isRegularFile(file)) {
				break;
			}
			limit = Math.min(limit, limitOrMax(KernelFiles.readLong(file)));
			current = current.getParent();
		}
		return (limit != Long.MAX_VALUE) ? OptionalLong.of(limit) : OptionalLong.empty();
	}

	private static long limitOrMax(OptionalLong value) {
		if (value.isEmpty() || value.getAsLong() < 0 || value.getAsLong() >= NO_LIMIT) {
			return Long.MAX_VALUE;
		}
		return value.getAsLong();
	}

	/**
	 * Reads the working set as Kubernetes computes it: usage minus inactive file pages
	 * (the page cache the kernel can drop first), never below zero.
	 * @return the working set in bytes, or empty when usage or {@code memory.stat} cannot
	 * be read
	 */
	public OptionalLong workingSet() {
		if (this.directory == null) {
			return OptionalLong.empty();
		}
		OptionalLong usage = usage();
		Map<String, Long> stat = KernelFiles.readKeyedLongs(this.directory.resolve("memory.stat"));
		OptionalLong inactiveFile = (stat != null) ? inactiveFile(stat) : OptionalLong.empty();
		return workingSet(usage, inactiveFile);
	}

	private static OptionalLong workingSet(OptionalLong usage, OptionalLong inactiveFile) {
		if (usage.isEmpty() || inactiveFile.isEmpty()) {
			return OptionalLong.empty();
		}
		return OptionalLong.of(Math.max(0, usage.getAsLong() - inactiveFile.getAsLong()));
	}

	/**
	 * Lists the processes in the cgroup ({@code cgroup.procs}): more than one means the
	 * cgroup's usage and limit are shared with other programs.
	 * @return their ids; none when the file cannot be read
	 */
	public long[] processIds() {
		if (this.directory == null) {
			return new long[0];
		}
		String procs = KernelFiles.read(this.directory.resolve("cgroup.procs"));
		if (procs == null) {
			return new long[0];
		}
		return procs.lines()
			.map(String::trim)
			.filter((line) -> !line.isEmpty())
			.map(KernelFiles::parseLong)
			.filter(OptionalLong::isPresent)
			.mapToLong(OptionalLong::getAsLong)
			.toArray();
	}

	/**
	 * Reads usage, limit and the {@code memory.stat} breakdown at once.
	 * @return the values read
	 */
	public Snapshot read() {
		if (this.directory == null) {
			return new Snapshot(OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(),
					OptionalLong.empty());
		}
		OptionalLong usage = usage();
		Map<String, Long> stat = KernelFiles.readKeyedLongs(this.directory.resolve("memory.stat"));
		OptionalLong limit = (this.source == Source.V2) ? v2Limit(this.directory) : v1Limit(this.directory, stat);
		if (stat == null) {
			return new Snapshot(usage, limit, OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty());
		}
		if (this.source == Source.V2) {
			return new Snapshot(usage, limit, stat(stat, "anon"), stat(stat, "file"), inactiveFile(stat));
		}
		// v1's hierarchical totals include child cgroups, as usage_in_bytes does
		return new Snapshot(usage, limit, stat(stat, "total_rss", "rss"), stat(stat, "total_cache", "cache"),
				inactiveFile(stat));
	}

	private OptionalLong inactiveFile(Map<String, Long> stat) {
		return (this.source == Source.V2) ? stat(stat, "inactive_file")
				: stat(stat, "total_inactive_file", "inactive_file");
	}

	private static OptionalLong stat(Map<String, Long> stat, String... keys) {
		for (String key : keys) {
			Long value = stat.get(key);
			if (value != null) {
				return nonNegative(OptionalLong.of(value));
			}
		}
		return OptionalLong.empty();
	}

	private static OptionalLong nonNegative(OptionalLong value) {
		return (value.isPresent() && value.getAsLong() >= 0) ? value : OptionalLong.empty();
	}

	@Override
	public String toString() {
		return "CgroupMemory[source=" + this.source + ", directory=" + this.directory + "]";
	}

	/**
	 * Which memory controller files are read.
	 */
	public enum Source {

		/** cgroup v2 files: {@code memory.current}, {@code memory.max}, {@code memory.stat}. */
		V2,

		/**
		 * cgroup v1 files: {@code memory.usage_in_bytes}, {@code memory.limit_in_bytes},
		 * {@code memory.stat}.
		 */
		V1,

		/** No memory controller found: every value is empty. */
		NONE

	}

	/**
	 * The memory of a cgroup at one moment. Each value is empty when not known.
	 *
	 * @param usage memory charged to the cgroup, in bytes
	 * @param limit the effective limit in bytes, empty when none is set
	 * @param anon anonymous memory ({@code anon} on v2, {@code total_rss} on v1), in bytes
	 * @param file page cache, including tmpfs and shared memory ({@code file} on v2,
	 * {@code total_cache} on v1), in bytes
	 * @param inactiveFile page cache on the inactive list, the first the kernel reclaims
	 * ({@code inactive_file}, {@code total_inactive_file} on v1), in bytes
	 */
	public record Snapshot(OptionalLong usage, OptionalLong limit, OptionalLong anon, OptionalLong file,
			OptionalLong inactiveFile) {

		/**
		 * Returns the working set as Kubernetes computes it: usage minus inactive file
		 * pages, never below zero.
		 * @return the working set in bytes, or empty when usage or inactive file pages are
		 * not known
		 */
		public OptionalLong workingSet() {
			return CgroupMemory.workingSet(this.usage, this.inactiveFile);
		}

	}

}
