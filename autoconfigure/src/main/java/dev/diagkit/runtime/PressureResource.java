package dev.diagkit.runtime;

import java.nio.file.Path;

/**
 * A resource that the kernel reports pressure stall information for: the name of its file
 * in {@code /proc/pressure/} and of its {@code <name>.pressure} file in a cgroup v2
 * directory.
 */
public enum PressureResource {

	/** Memory: time lost to reclaim, refaults and swap-in. */
	MEMORY("memory"),

	/** CPU: time runnable tasks waited for a CPU. */
	CPU("cpu"),

	/** IO: time lost waiting for block IO. */
	IO("io");

	private final String key;

	PressureResource(String key) {
		this.key = key;
	}

	/**
	 * Returns the lower-case name used in file and metric names.
	 * @return {@code memory}, {@code cpu} or {@code io}
	 */
	public String key() {
		return this.key;
	}

	/**
	 * Returns the machine-wide file, such as {@code /proc/pressure/memory}.
	 * @param procRoot the root of the proc file system, normally {@code /proc}
	 * @return the file (which may not exist: kernels before 4.20 or booted with
	 * {@code psi=0} have none)
	 */
	public Path systemFile(Path procRoot) {
		return procRoot.resolve("pressure").resolve(this.key);
	}

	/**
	 * Returns the name of the file in a cgroup v2 directory, such as
	 * {@code memory.pressure}.
	 * @return the file name
	 */
	public String cgroupFileName() {
		return this.key + ".pressure";
	}

}
