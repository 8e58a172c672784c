package dev.diagkit.memory;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.DoubleSupplier;

import dev.diagkit.runtime.CgroupMemory;
import dev.diagkit.runtime.PressureResource;
import dev.diagkit.runtime.PressureStall;
import org.jspecify.annotations.Nullable;

/**
 * Where the controller reads memory pressure from, as a percentage comparable to PSI's
 * {@code some avg10}: the first of these the machine has.
 * <ol>
 * <li>A PSI file named explicitly; nothing else is tried then.</li>
 * <li>The process's cgroup v2 {@code memory.pressure}: the pressure of its container.</li>
 * <li>The machine's {@code /proc/pressure/memory}.</li>
 * <li>The cgroup's working set against its limit (v1 or v2, when a limit is set), for kernels
 * without PSI: 0 up to {@value #FULLNESS_START}% of the limit, then one point per
 * {@value #FULLNESS_STEP}% of the limit above it, so 90% full reads 5.0, the default
 * high threshold. An estimate of pressure, not a measurement of stalls.</li>
 * </ol>
 */
public final class MemoryPressureSource implements DoubleSupplier {

	/** The working set, in percent of the limit, from which the fallback reads above 0. */
	static final int FULLNESS_START = 85;

	/** Percent of the limit per point of fallback pressure. */
	static final int FULLNESS_STEP = 1;

	private final String description;

	private final DoubleSupplier reader;

	private MemoryPressureSource(String description, DoubleSupplier reader) {
		this.description = description;
		this.reader = reader;
	}

	/**
	 * Returns a source of one's own.
	 * @param description what it reads, for logs and the endpoint
	 * @param reader reads the pressure in percent, NaN when it cannot
	 * @return the source
	 */
	public static MemoryPressureSource of(String description, DoubleSupplier reader) {
		return new MemoryPressureSource(description, reader);
	}

	/**
	 * Finds the source.
	 * @param explicit a PSI file to read, or {@code null} to look for one
	 * @param cgroup the process's cgroup memory
	 * @param procRoot the root of the proc file system, normally {@code /proc}
	 * @return the source, or empty when nothing can be read (the explicit file cannot be read,
	 * or the machine has neither PSI nor a cgroup limit)
	 */
	public static Optional<MemoryPressureSource> discover(@Nullable Path explicit, CgroupMemory cgroup, Path procRoot) {
		if (explicit != null) {
			return psi("PSI file " + explicit, explicit);
		}
		if (cgroup.source() == CgroupMemory.Source.V2 && cgroup.directory().isPresent()) {
			Path file = cgroup.directory().get().resolve("memory.pressure");
			Optional<MemoryPressureSource> container = psi("cgroup " + file, file);
			if (container.isPresent()) {
				return container;
			}
		}
		Optional<MemoryPressureSource> machine = psi("machine " + PressureResource.MEMORY.systemFile(procRoot),
				PressureResource.MEMORY.systemFile(procRoot));
		if (machine.isPresent()) {
			return machine;
		}
		if (cgroup.limit().isPresent() && cgroup.workingSet().isPresent()) {
			return Optional.of(new MemoryPressureSource("cgroup working set against its limit (no PSI here)",
					() -> fullness(cgroup.workingSet(), cgroup.limit())));
		}
		return Optional.empty();
	}

	private static Optional<MemoryPressureSource> psi(String description, Path file) {
		if (PressureStall.read(file).isEmpty()) {
			return Optional.empty();
		}
		return Optional.of(new MemoryPressureSource(description,
				() -> PressureStall.read(file).map((stall) -> stall.some().avg10()).orElse(Double.NaN)));
	}

	private static double fullness(OptionalLong workingSet, OptionalLong limit) {
		if (workingSet.isEmpty() || limit.isEmpty() || limit.getAsLong() <= 0) {
			return Double.NaN;
		}
		double percent = 100.0 * workingSet.getAsLong() / limit.getAsLong();
		return Math.max(0, (percent - FULLNESS_START) / FULLNESS_STEP);
	}

	/**
	 * Returns what is read, for logs and the endpoint.
	 * @return the description
	 */
	public String description() {
		return this.description;
	}

	/**
	 * Reads the pressure now.
	 * @return percent, or NaN when it cannot be read this time
	 */
	@Override
	public double getAsDouble() {
		return this.reader.getAsDouble();
	}

}
