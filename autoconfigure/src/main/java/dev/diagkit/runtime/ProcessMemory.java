package dev.diagkit.runtime;

import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The resident memory of this process, read from {@code <procRoot>/self/status} each time
 * a value is asked for: {@code VmRSS} (resident set size) and {@code VmHWM} (its peak, the
 * "high water mark"). Values are empty when the file or the line is missing (not Linux, a
 * restricted {@code /proc}).
 */
public final class ProcessMemory {

	private static final long BYTES_PER_KB = 1024;

	private final Path statusFile;

	/**
	 * Creates a reader of the process whose files are under the given root.
	 * @param procRoot the root of the proc file system, normally {@code /proc}
	 */
	public ProcessMemory(Path procRoot) {
		this(procRoot, "self");
	}

	private ProcessMemory(Path procRoot, String process) {
		this.statusFile = procRoot.resolve(process).resolve("status");
	}

	/**
	 * Returns a reader of another process.
	 * @param procRoot the root of the proc file system, normally {@code /proc}
	 * @param pid the process's id
	 * @return the reader of {@code <procRoot>/<pid>/status}
	 */
	public static ProcessMemory ofProcess(Path procRoot, long pid) {
		return new ProcessMemory(procRoot, Long.toString(pid));
	}

	/**
	 * Returns a reader of the running process.
	 * @return the reader of {@code /proc/self/status}
	 */
	public static ProcessMemory forThisProcess() {
		return new ProcessMemory(ProcessCgroup.PROC_ROOT);
	}

	/**
	 * Reads the resident set size ({@code VmRSS}).
	 * @return bytes resident in physical memory, or empty
	 */
	public OptionalLong rss() {
		return field("VmRSS");
	}

	/**
	 * Reads the peak resident set size ({@code VmHWM}).
	 * @return the most bytes ever resident at once, or empty
	 */
	public OptionalLong peakRss() {
		return field("VmHWM");
	}

	private OptionalLong field(String name) {
		String text = KernelFiles.read(this.statusFile);
		return (text != null) ? parseField(text, name) : OptionalLong.empty();
	}

	/**
	 * Finds a {@code Name:   1234 kB} line in the text of a status file.
	 * @param status the file's text
	 * @param name the field name
	 * @return the value in bytes, or empty when the line is missing or malformed
	 */
	static OptionalLong parseField(String status, String name) {
		String prefix = name + ":";
		for (String line : status.split("\n")) {
			if (line.startsWith(prefix)) {
				return kilobytes(line.substring(prefix.length()).trim());
			}
		}
		return OptionalLong.empty();
	}

	private static OptionalLong kilobytes(String value) {
		String[] parts = value.split("\\s+");
		if (parts.length != 2 || !parts[1].equals("kB")) {
			return OptionalLong.empty();
		}
		OptionalLong kb = KernelFiles.parseLong(parts[0]);
		if (kb.isEmpty() || kb.getAsLong() < 0 || kb.getAsLong() > Long.MAX_VALUE / BYTES_PER_KB) {
			return OptionalLong.empty();
		}
		return OptionalLong.of(kb.getAsLong() * BYTES_PER_KB);
	}

	@Override
	public String toString() {
		return "ProcessMemory[" + this.statusFile + "]";
	}

}
