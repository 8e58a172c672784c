package dev.diagkit.endpoint;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.ThreadMXBean;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

import dev.diagkit.runtime.CgroupMemory;
import dev.diagkit.runtime.PressureResource;
import dev.diagkit.runtime.PressureStall;
import dev.diagkit.runtime.ProcessCgroup;
import dev.diagkit.runtime.ProcessMemory;
import org.jspecify.annotations.Nullable;

/**
 * The figures of {@code /actuator/diag/metrics}: the JVM's memory areas and pools, buffer
 * pools, garbage collectors, threads, classes and CPU from the platform MXBeans, the
 * process's resident set from {@code /proc}, and its cgroup's memory and the pressure stall
 * information (PSI) of the machine ({@code psi.*}) and of the cgroup ({@code cgroup.psi.*})
 * where the kernel offers them. Each call collects afresh; a figure whose source is missing
 * is left out, so no figure is ever NaN.
 * <p>
 * CPU usage ({@code process.cpu.usage}, {@code system.cpu.usage}) is measured since the
 * previous reading by any caller in this JVM; the first reading of a JVM's life is 0.
 * <p>
 * Names are lower-case and dot-separated ({@code jvm.memory.heap.used},
 * {@code process.rss}, {@code cgroup.memory.limit}, {@code psi.memory.some.avg10}), using
 * Micrometer's names where Micrometer has the same figure; units are {@code bytes},
 * {@code seconds}, {@code count}, {@code ratio}, {@code percent} or {@code threads}.
 */
public final class RuntimeFigures {

	private static final String BYTES = "bytes";

	private static final String SECONDS = "seconds";

	private static final String COUNT = "count";

	private static final String RATIO = "ratio";

	private static final String PERCENT = "percent";

	private static final String THREADS = "threads";

	private static final Pattern NOT_A_WORD = Pattern.compile("[^a-z0-9]+");

	private static final Pattern EDGE_DOTS = Pattern.compile("^\\.|\\.$");

	/** Doubles represent every whole number up to 2^53 exactly. */
	private static final double EXACT_WHOLE_LIMIT = 9_007_199_254_740_992.0;

	private final Path procRoot;

	private final Path cgroupRoot;

	/**
	 * Creates a collector that reads kernel files under the given roots.
	 * @param procRoot the root of the proc file system, normally {@code /proc}
	 * @param cgroupRoot where the cgroup file systems are mounted, normally
	 * {@code /sys/fs/cgroup}
	 */
	public RuntimeFigures(Path procRoot, Path cgroupRoot) {
		this.procRoot = procRoot;
		this.cgroupRoot = cgroupRoot;
	}

	/**
	 * Returns a collector of the running process, reading {@code /proc} and
	 * {@code /sys/fs/cgroup}.
	 * @return the collector
	 */
	public static RuntimeFigures forThisProcess() {
		return new RuntimeFigures(ProcessCgroup.PROC_ROOT, ProcessCgroup.CGROUP_ROOT);
	}

	/**
	 * Collects every figure available now.
	 * @return the figures, in a stable order: JVM, process, system, cgroup, pressure
	 */
	public List<Figure> collect() {
		List<Figure> figures = new ArrayList<>();
		jvmMemory(figures);
		jvmGarbageCollectors(figures);
		jvmThreadsAndClasses(figures);
		processAndSystem(figures);
		ProcessCgroup cgroup = ProcessCgroup.detect(this.procRoot, this.cgroupRoot);
		cgroupMemory(figures, CgroupMemory.of(cgroup));
		for (PressureResource resource : PressureResource.values()) {
			pressure(figures, "psi." + resource.key(), PressureStall.readSystem(this.procRoot, resource));
		}
		for (PressureResource resource : PressureResource.values()) {
			pressure(figures, "cgroup.psi." + resource.key(), cgroup.pressure(resource));
		}
		return Collections.unmodifiableList(figures);
	}

	/**
	 * Collects the figures and renders them as text.
	 * @return one {@code name value unit} line per figure
	 * @see #toText(List)
	 */
	public String toText() {
		return toText(collect());
	}

	/**
	 * Collects the figures and renders them for a JSON writer.
	 * @return the figures by name
	 * @see #toJson(List)
	 */
	public Map<String, Object> toJson() {
		return toJson(collect());
	}

	/**
	 * Renders figures as text: one {@code name value unit} line per figure, values written
	 * in plain decimal (never with an exponent) and whole numbers without a fraction.
	 * @param figures the figures
	 * @return the text, each line ending with a newline
	 */
	public static String toText(List<Figure> figures) {
		StringBuilder text = new StringBuilder(figures.size() * 48);
		for (Figure figure : figures) {
			text.append(figure.name())
				.append(' ')
				.append(format(figure.value()))
				.append(' ')
				.append(figure.unit())
				.append('\n');
		}
		return text.toString();
	}

	/**
	 * Renders figures as a map for a JSON writer such as Jackson: each name maps to
	 * {@code {"value": …, "unit": …}}, whole values as {@link Long} so that they are written
	 * without a fraction.
	 * @param figures the figures
	 * @return the figures by name, in the order given
	 */
	public static Map<String, Object> toJson(List<Figure> figures) {
		Map<String, Object> json = new LinkedHashMap<>();
		for (Figure figure : figures) {
			Map<String, Object> entry = new LinkedHashMap<>();
			entry.put("value", jsonNumber(figure.value()));
			entry.put("unit", figure.unit());
			json.put(figure.name(), entry);
		}
		return json;
	}

	static String format(double value) {
		return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
	}

	private static Number jsonNumber(double value) {
		if (value == Math.rint(value) && Math.abs(value) < EXACT_WHOLE_LIMIT) {
			return (long) value;
		}
		return value;
	}

	private static void jvmMemory(List<Figure> figures) {
		usage(figures, "jvm.memory.heap", ManagementFactory.getMemoryMXBean().getHeapMemoryUsage(), true);
		usage(figures, "jvm.memory.nonheap", ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage(), true);
		for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
			if (pool.isValid()) {
				usage(figures, "jvm.memory.pool." + words(pool.getName()), pool.getUsage(), false);
			}
		}
		for (BufferPoolMXBean buffers : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
			String prefix = "jvm.buffer." + words(buffers.getName());
			add(figures, prefix + ".used", buffers.getMemoryUsed(), BYTES);
			add(figures, prefix + ".capacity", buffers.getTotalCapacity(), BYTES);
			add(figures, prefix + ".count", buffers.getCount(), COUNT);
		}
	}

	private static void usage(List<Figure> figures, String prefix, @Nullable MemoryUsage usage, boolean withMax) {
		if (usage == null) {
			return;
		}
		add(figures, prefix + ".used", usage.getUsed(), BYTES);
		add(figures, prefix + ".committed", usage.getCommitted(), BYTES);
		if (withMax) {
			add(figures, prefix + ".max", usage.getMax(), BYTES);
		}
	}

	private static void jvmGarbageCollectors(List<Figure> figures) {
		for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
			String prefix = "jvm.gc." + words(gc.getName());
			add(figures, prefix + ".count", gc.getCollectionCount(), COUNT);
			long millis = gc.getCollectionTime();
			if (millis >= 0) {
				add(figures, prefix + ".time", millis / 1000.0, SECONDS);
			}
		}
	}

	private static void jvmThreadsAndClasses(List<Figure> figures) {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		add(figures, "jvm.threads.live", threads.getThreadCount(), THREADS);
		add(figures, "jvm.threads.daemon", threads.getDaemonThreadCount(), THREADS);
		add(figures, "jvm.threads.peak", threads.getPeakThreadCount(), THREADS);
		add(figures, "jvm.threads.started", threads.getTotalStartedThreadCount(), THREADS);
		ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();
		add(figures, "jvm.classes.loaded", classes.getLoadedClassCount(), COUNT);
		add(figures, "jvm.classes.unloaded", classes.getUnloadedClassCount(), COUNT);
	}

	private void processAndSystem(List<Figure> figures) {
		OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
		try {
			PlatformCpu.add(figures, os);
		}
		catch (LinkageError ex) {
			// a runtime without the jdk.management module: no process CPU figures
		}
		add(figures, "process.uptime", ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0, SECONDS);
		ProcessMemory memory = new ProcessMemory(this.procRoot);
		add(figures, "process.rss", memory.rss(), BYTES);
		add(figures, "process.rss.peak", memory.peakRss(), BYTES);
		add(figures, "system.cpu.count", os.getAvailableProcessors(), COUNT);
		add(figures, "system.load.average.1m", os.getSystemLoadAverage(), COUNT);
	}

	private static void cgroupMemory(List<Figure> figures, CgroupMemory memory) {
		CgroupMemory.Snapshot snapshot = memory.read();
		add(figures, "cgroup.memory.usage", snapshot.usage(), BYTES);
		add(figures, "cgroup.memory.limit", snapshot.limit(), BYTES);
		add(figures, "cgroup.memory.working.set", snapshot.workingSet(), BYTES);
		add(figures, "cgroup.memory.anon", snapshot.anon(), BYTES);
		add(figures, "cgroup.memory.file", snapshot.file(), BYTES);
		add(figures, "cgroup.memory.inactive.file", snapshot.inactiveFile(), BYTES);
	}

	private static void pressure(List<Figure> figures, String prefix, Optional<PressureStall> pressure) {
		if (pressure.isEmpty()) {
			return;
		}
		stall(figures, prefix + ".some", pressure.get().some());
		PressureStall.Stall full = pressure.get().full();
		if (full != null) {
			stall(figures, prefix + ".full", full);
		}
	}

	private static void stall(List<Figure> figures, String prefix, PressureStall.Stall stall) {
		add(figures, prefix + ".avg10", stall.avg10(), PERCENT);
		add(figures, prefix + ".avg60", stall.avg60(), PERCENT);
		add(figures, prefix + ".avg300", stall.avg300(), PERCENT);
		add(figures, prefix + ".total", stall.totalSeconds(), SECONDS);
	}

	private static void add(List<Figure> figures, String name, OptionalLong value, String unit) {
		if (value.isPresent()) {
			add(figures, name, value.getAsLong(), unit);
		}
	}

	/**
	 * Adds a figure unless its value is the MXBeans' "not available" mark: a negative
	 * number (such as a heap without a maximum, -1) or NaN.
	 */
	private static void add(List<Figure> figures, String name, double value, String unit) {
		if (value >= 0 && Double.isFinite(value)) {
			figures.add(new Figure(name, value, unit));
		}
	}

	/**
	 * Turns a pool or collector name into lower-case dotted words:
	 * {@code "CodeHeap 'non-nmethods'"} becomes {@code codeheap.non.nmethods}.
	 */
	static String words(String name) {
		String dotted = NOT_A_WORD.matcher(name.toLowerCase(Locale.ROOT)).replaceAll(".");
		String trimmed = EDGE_DOTS.matcher(dotted).replaceAll("");
		return trimmed.isEmpty() ? "unnamed" : trimmed;
	}

	/**
	 * Reads the HotSpot extension of the operating system MXBean in a class of its own, so
	 * that a runtime without {@code com.sun.management} fails only here.
	 */
	private static final class PlatformCpu {

		static void add(List<Figure> figures, OperatingSystemMXBean os) {
			if (os instanceof com.sun.management.OperatingSystemMXBean platform) {
				long cpuNanos = platform.getProcessCpuTime();
				if (cpuNanos >= 0) {
					RuntimeFigures.add(figures, "process.cpu.time", cpuNanos / 1e9, SECONDS);
				}
				RuntimeFigures.add(figures, "process.cpu.usage", platform.getProcessCpuLoad(), RATIO);
				RuntimeFigures.add(figures, "system.cpu.usage", platform.getCpuLoad(), RATIO);
			}
		}

	}

	/**
	 * One runtime figure.
	 *
	 * @param name the lower-case dotted name, such as {@code jvm.memory.heap.used}
	 * @param value the value, a finite number
	 * @param unit the unit: {@code bytes}, {@code seconds}, {@code count}, {@code ratio},
	 * {@code percent} or {@code threads}
	 */
	public record Figure(String name, double value, String unit) {

		/**
		 * Creates a figure.
		 * @throws IllegalArgumentException if the name is blank or the value is NaN or
		 * infinite
		 */
		public Figure {
			if (name.isBlank()) {
				throw new IllegalArgumentException("Figure name must not be blank");
			}
			if (!Double.isFinite(value)) {
				throw new IllegalArgumentException("Figure '" + name + "' must be a finite number, was " + value);
			}
		}

	}

}
