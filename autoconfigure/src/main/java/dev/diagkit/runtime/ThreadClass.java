package dev.diagkit.runtime;

import java.util.Locale;

/**
 * What a thread of the JVM process works for, told from its kernel name (the first 15
 * characters of its Java or HotSpot name, as {@code /proc/self/task/<tid>/comm} shows).
 */
public enum ThreadClass {

	/** Garbage collection: G1, Parallel, ZGC and Shenandoah worker and control threads. */
	GC,

	/** JIT compilation: the C1 and C2 compiler threads and the code sweeper. */
	JIT,

	/**
	 * Other JVM work: the VM thread (safepoint operations; with the Serial collector, every
	 * collection, which is then counted as {@link #GC}), periodic tasks, the service and
	 * monitor-deflation threads.
	 */
	VM,

	/** Every other thread: the application's own and its libraries'. */
	APPLICATION;

	/**
	 * Returns the lower-case name used as the {@code class} tag.
	 * @return such as {@code gc}
	 */
	public String tag() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * Classifies a thread by its kernel name.
	 * @param name the name from {@code comm}, at most 15 characters
	 * @param vmThreadCollects whether the VM thread does the collections (the Serial
	 * collector)
	 * @return the class
	 */
	public static ThreadClass of(String name, boolean vmThreadCollects) {
		if (name.equals("VM Thread")) {
			return vmThreadCollects ? GC : VM;
		}
		if (name.startsWith("GC Thread#") || name.startsWith("G1 ") || name.startsWith("Shenandoah")
				|| isZgcThread(name)) {
			return GC;
		}
		if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")
				|| name.startsWith("Sweeper thread") || name.startsWith("JVMCI")) {
			return JIT;
		}
		if (name.startsWith("VM Periodic Tas") || name.equals("Service Thread") || name.startsWith("Monitor Deflati")
				|| name.startsWith("RuntimeWorker#")) {
			return VM;
		}
		return APPLICATION;
	}

	private static boolean isZgcThread(String name) {
		return name.startsWith("ZWorker") || name.startsWith("ZDriver") || name.equals("ZDirector")
				|| name.equals("ZStat") || name.startsWith("ZUncommitter") || name.equals("ZUnmapper");
	}

}
