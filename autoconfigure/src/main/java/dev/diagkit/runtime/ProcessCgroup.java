package dev.diagkit.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * The cgroup this process belongs to: which cgroup layout the machine uses and where this
 * process's cgroup directories are. Built once by {@link #detect(Path, Path)} from
 * {@code <procRoot>/self/cgroup} and what is mounted under the cgroup root; readers such as
 * {@link CgroupMemory} then read the files in those directories.
 * <p>
 * When the path named in {@code /proc/self/cgroup} does not exist under the mount (a
 * container that sees its own cgroup mounted as the root of the hierarchy, with or without
 * a cgroup namespace), the mount itself is taken as the process's cgroup.
 */
public final class ProcessCgroup {

	/** The default root of the proc file system. */
	public static final Path PROC_ROOT = Path.of("/proc");

	/** The default root of the cgroup file systems. */
	public static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");

	private static final String UNIFIED_SUBDIRECTORY = "unified";

	private final Layout layout;

	private final @Nullable Path unifiedDirectory;

	private final Map<String, Path> controllerDirectories;

	private ProcessCgroup(Layout layout, @Nullable Path unifiedDirectory, Map<String, Path> controllerDirectories) {
		this.layout = layout;
		this.unifiedDirectory = unifiedDirectory;
		this.controllerDirectories = Collections.unmodifiableMap(controllerDirectories);
	}

	/**
	 * Detects the cgroup of the running process from {@code /proc} and
	 * {@code /sys/fs/cgroup}.
	 * @return the process's cgroup
	 */
	public static ProcessCgroup forThisProcess() {
		return detect(PROC_ROOT, CGROUP_ROOT);
	}

	/**
	 * Detects the cgroup of the process whose files are under the given roots. Never
	 * throws: missing or unreadable files give {@link Layout#NONE}.
	 * @param procRoot the root of the proc file system, normally {@code /proc}; its
	 * {@code self/cgroup} is read
	 * @param cgroupRoot where the cgroup file systems are mounted, normally
	 * {@code /sys/fs/cgroup}
	 * @return the process's cgroup
	 */
	public static ProcessCgroup detect(Path procRoot, Path cgroupRoot) {
		String text = KernelFiles.read(procRoot.resolve("self").resolve("cgroup"));
		if (text == null) {
			return new ProcessCgroup(Layout.NONE, null, Map.of());
		}
		String unifiedPath = null;
		Map<String, Path> controllers = new LinkedHashMap<>();
		for (String line : text.split("\n")) {
			// hierarchy-id:controller-list:cgroup-path
			String[] parts = line.split(":", 3);
			if (parts.length < 3) {
				continue;
			}
			if (parts[0].equals("0") && parts[1].isEmpty()) {
				unifiedPath = parts[2];
				continue;
			}
			for (String controller : parts[1].split(",")) {
				if (controller.isEmpty() || controller.startsWith("name=")) {
					continue;
				}
				Path mount = controllerMount(cgroupRoot, controller, parts[1]);
				if (mount != null) {
					controllers.putIfAbsent(controller, resolve(mount, parts[2]));
				}
			}
		}
		if (unifiedPath != null && Files.isRegularFile(cgroupRoot.resolve("cgroup.controllers"))) {
			return new ProcessCgroup(Layout.V2, resolve(cgroupRoot, unifiedPath), Map.of());
		}
		Path unifiedMount = cgroupRoot.resolve(UNIFIED_SUBDIRECTORY);
		if (unifiedPath != null && Files.isRegularFile(unifiedMount.resolve("cgroup.controllers"))) {
			return new ProcessCgroup(Layout.HYBRID, resolve(unifiedMount, unifiedPath), controllers);
		}
		if (!controllers.isEmpty()) {
			return new ProcessCgroup(Layout.V1, null, controllers);
		}
		return new ProcessCgroup(Layout.NONE, null, Map.of());
	}

	private static @Nullable Path controllerMount(Path cgroupRoot, String controller, String controllerList) {
		// co-mounted controllers live in "cpu,cpuacct", usually with a "cpu" symbolic link
		for (String name : new String[] { controller, controllerList }) {
			Path mount = cgroupRoot.resolve(name);
			if (Files.isDirectory(mount)) {
				return mount;
			}
		}
		return null;
	}

	private static Path resolve(Path mount, String cgroupPath) {
		String relative = cgroupPath.trim();
		while (relative.startsWith("/")) {
			relative = relative.substring(1);
		}
		if (relative.isEmpty()) {
			return mount;
		}
		Path candidate = mount.resolve(relative).normalize();
		if (!candidate.startsWith(mount) || !Files.isDirectory(candidate)) {
			return mount;
		}
		return candidate;
	}

	/**
	 * Returns the cgroup layout of the machine.
	 * @return the layout
	 */
	public Layout layout() {
		return this.layout;
	}

	/**
	 * Returns the process's directory in the unified (v2) hierarchy: under the cgroup root
	 * on {@link Layout#V2}, under its {@code unified} subdirectory on
	 * {@link Layout#HYBRID}. Pressure files live there.
	 * @return the directory, or empty on {@link Layout#V1} and {@link Layout#NONE}
	 */
	public Optional<Path> unifiedDirectory() {
		return Optional.ofNullable(this.unifiedDirectory);
	}

	/**
	 * Returns the process's directory in a v1 controller hierarchy, such as
	 * {@code /sys/fs/cgroup/memory/docker/<id>} for {@code memory}.
	 * @param controller the controller name, such as {@code memory} or {@code cpu}
	 * @return the directory, or empty when the controller is not mounted as v1
	 */
	public Optional<Path> controllerDirectory(String controller) {
		return Optional.ofNullable(this.controllerDirectories.get(controller));
	}

	/**
	 * Reads the pressure of a resource for this cgroup ({@code <resource>.pressure} in the
	 * unified directory).
	 * @param resource the resource
	 * @return its pressure, or empty when there is no unified directory or the kernel does
	 * not report it
	 */
	public Optional<PressureStall> pressure(PressureResource resource) {
		if (this.unifiedDirectory == null) {
			return Optional.empty();
		}
		return PressureStall.read(this.unifiedDirectory.resolve(resource.cgroupFileName()));
	}

	@Override
	public String toString() {
		return "ProcessCgroup[layout=" + this.layout + ", unified=" + this.unifiedDirectory + ", controllers="
				+ this.controllerDirectories + "]";
	}

	/**
	 * How the machine mounts its cgroups.
	 */
	public enum Layout {

		/** cgroup v2 only: one unified hierarchy mounted at the cgroup root. */
		V2,

		/** cgroup v1 only: one hierarchy per controller, no unified hierarchy. */
		V1,

		/**
		 * v1 controller hierarchies plus a unified hierarchy in the {@code unified}
		 * subdirectory, which carries pressure files but usually no controllers.
		 */
		HYBRID,

		/** No cgroup information: not Linux, or the files are missing. */
		NONE

	}

}
