package dev.diagkit.metrics;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

import dev.diagkit.runtime.PressureResource;
import dev.diagkit.runtime.PressureStall;
import dev.diagkit.runtime.ProcessCgroup;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

/**
 * Pressure stall information (PSI) for memory, CPU and IO, of the whole machine
 * ({@code scope=system}, {@code /proc/pressure/*}) and of the process's cgroup
 * ({@code scope=cgroup}, cgroup v2 {@code *.pressure}): the kernel's running averages as
 * {@code diagkit.pressure.stall{resource,kind,window,scope}} (a ratio, the file's percentage
 * divided by 100) and the total stalled time as the counter
 * {@code diagkit.pressure.stall.time{resource,kind,scope}}. Files that are missing when
 * binding (kernels before 4.20, {@code psi=0}, cgroup v1) register nothing.
 */
public class PressureMetrics implements MeterBinder {

	private static final Duration MAX_AGE = Duration.ofSeconds(1);

	private final Duration readingMaxAge;

	private final Path procRoot;

	private final Path cgroupRoot;

	private final Iterable<Tag> tags;

	private final List<RecentReading<Optional<PressureStall>>> readings = new CopyOnWriteArrayList<>();

	/**
	 * Creates the binder for the files under the given roots.
	 * @param procRoot the root of the proc file system, normally {@code /proc}
	 * @param cgroupRoot where the cgroup file systems are mounted, normally
	 * {@code /sys/fs/cgroup}
	 * @param tags tags added to every meter
	 */
	public PressureMetrics(Path procRoot, Path cgroupRoot, Iterable<Tag> tags) {
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
	public PressureMetrics(Path procRoot, Path cgroupRoot, Iterable<Tag> tags, Duration readingMaxAge) {
		this.readingMaxAge = readingMaxAge;
		this.procRoot = procRoot;
		this.cgroupRoot = cgroupRoot;
		this.tags = tags;
	}

	/**
	 * Creates the binder for this process.
	 */
	public PressureMetrics() {
		this(ProcessCgroup.PROC_ROOT, ProcessCgroup.CGROUP_ROOT, List.of());
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		ProcessCgroup cgroup = ProcessCgroup.detect(this.procRoot, this.cgroupRoot);
		for (PressureResource resource : PressureResource.values()) {
			bind(registry, resource, "system", () -> PressureStall.readSystem(this.procRoot, resource));
			bind(registry, resource, "cgroup", () -> cgroup.pressure(resource));
		}
	}

	private void bind(MeterRegistry registry, PressureResource resource, String scope,
			Supplier<Optional<PressureStall>> reader) {
		RecentReading<Optional<PressureStall>> reading = new RecentReading<>(reader, this.readingMaxAge);
		// function counters hold their object weakly: the binder keeps the readings alive
		this.readings.add(reading);
		Optional<PressureStall> first = reading.get();
		if (first.isEmpty()) {
			return;
		}
		bindKind(registry, resource, scope, "some", reading, PressureStall::some);
		if (first.get().full() != null) {
			bindKind(registry, resource, scope, "full", reading, PressureStall::full);
		}
	}

	private void bindKind(MeterRegistry registry, PressureResource resource, String scope, String kind,
			RecentReading<Optional<PressureStall>> reading,
			Function<PressureStall, PressureStall.@Nullable Stall> line) {
		Tags base = Tags.concat(this.tags, "resource", resource.key(), "kind", kind, "scope", scope);
		gauge(registry, base.and("window", "10s"), reading, line, (stall) -> stall.avg10() / 100.0);
		gauge(registry, base.and("window", "60s"), reading, line, (stall) -> stall.avg60() / 100.0);
		gauge(registry, base.and("window", "300s"), reading, line, (stall) -> stall.avg300() / 100.0);
		FunctionCounter.builder("diagkit.pressure.stall.time", reading,
				(r) -> value(r, line, PressureStall.Stall::totalSeconds))
			.tags(base)
			.description("Total time in which some (or all, for kind=full) non-idle tasks were stalled on the resource")
			.baseUnit("seconds")
			.register(registry);
	}

	private static void gauge(MeterRegistry registry, Tags tags, RecentReading<Optional<PressureStall>> reading,
			Function<PressureStall, PressureStall.@Nullable Stall> line,
			ToDoubleFunction<PressureStall.Stall> value) {
		Gauge.builder("diagkit.pressure.stall", reading, (r) -> value(r, line, value))
			.tags(tags)
			.description("Share of time in which some (or all, for kind=full) non-idle tasks were stalled on the "
					+ "resource, averaged by the kernel over the window")
			.baseUnit("ratio")
			.strongReference(true)
			.register(registry);
	}

	private static double value(RecentReading<Optional<PressureStall>> reading,
			Function<PressureStall, PressureStall.@Nullable Stall> line,
			ToDoubleFunction<PressureStall.Stall> value) {
		Optional<PressureStall> pressure = reading.get();
		PressureStall.Stall stall = pressure.map(line).orElse(null);
		return (stall != null) ? value.applyAsDouble(stall) : Double.NaN;
	}

}
