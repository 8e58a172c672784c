package dev.diagkit.endpoint;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import com.sun.management.HotSpotDiagnosticMXBean;
import org.jspecify.annotations.Nullable;

/**
 * Takes the stacks of virtual threads on JDK 21+ through
 * {@code HotSpotDiagnosticMXBean.dumpThreads(file, ThreadDumpFormat.JSON)}, reached
 * reflectively because the project compiles for Java 17, and reads the file with Jackson.
 * The JDK writes the dump one thread at a time (no global pause), into a private temporary
 * directory that is deleted afterwards.
 */
final class VirtualThreadDump {

	private static final String JSON_MAPPER_CLASS = "tools.jackson.databind.json.JsonMapper";

	private static final String FORMAT_CLASS = "com.sun.management.HotSpotDiagnosticMXBean$ThreadDumpFormat";

	private final @Nullable Method dumpThreads;

	private final @Nullable Object jsonFormat;

	private final boolean jsonReadable;

	private VirtualThreadDump(@Nullable Method dumpThreads, @Nullable Object jsonFormat, boolean jsonReadable) {
		this.dumpThreads = dumpThreads;
		this.jsonFormat = jsonFormat;
		this.jsonReadable = jsonReadable;
	}

	/**
	 * Returns the dump for this JVM: able to dump virtual threads on JDK 21+ when Jackson is
	 * on the class path.
	 * @return the dump
	 */
	static VirtualThreadDump create() {
		return create(isPresent(JSON_MAPPER_CLASS));
	}

	/**
	 * Returns the dump for this JVM as if Jackson were present or not.
	 * @param jsonReadable whether Jackson may be used to read the JSON thread dump
	 * @return the dump
	 */
	static VirtualThreadDump create(boolean jsonReadable) {
		try {
			Class<?> formatClass = Class.forName(FORMAT_CLASS, false, HotSpotDiagnosticMXBean.class.getClassLoader());
			Method method = HotSpotDiagnosticMXBean.class.getMethod("dumpThreads", String.class, formatClass);
			Object json = null;
			for (Object constant : formatClass.getEnumConstants()) {
				if ("JSON".equals(((Enum<?>) constant).name())) {
					json = constant;
				}
			}
			return (json != null) ? new VirtualThreadDump(method, json, jsonReadable)
					: new VirtualThreadDump(null, null, jsonReadable);
		}
		catch (ClassNotFoundException | NoSuchMethodException ex) {
			// before JDK 21: there are no virtual threads to dump
			return new VirtualThreadDump(null, null, jsonReadable);
		}
	}

	private static boolean isPresent(String className) {
		try {
			Class.forName(className, false, VirtualThreadDump.class.getClassLoader());
			return true;
		}
		catch (ClassNotFoundException | LinkageError ex) {
			return false;
		}
	}

	/**
	 * Returns whether this JVM can dump virtual threads at all (JDK 21+).
	 * @return whether the JSON thread dump exists
	 */
	boolean supported() {
		return this.dumpThreads != null;
	}

	/**
	 * Dumps every thread to JSON and returns the virtual ones. Never throws for a failed
	 * dump: the outcome says why virtual threads are missing instead.
	 * @param platformThreadIds the ids of the platform threads, asked for after the JDK has
	 * written the dump; used to tell virtual threads apart on JDKs whose dump does not mark
	 * them
	 * @return the virtual threads, or why they are missing
	 */
	Outcome capture(Supplier<Set<Long>> platformThreadIds) {
		Method method = this.dumpThreads;
		if (method == null || this.jsonFormat == null) {
			return new Outcome(List.of(), null);
		}
		if (!this.jsonReadable) {
			return new Outcome(List.of(), "reading the JDK's JSON thread dump needs Jackson "
					+ "(tools.jackson.core:jackson-databind) on the class path");
		}
		Path directory = null;
		Path file = null;
		try {
			directory = Files.createTempDirectory("diagkit-stacks-");
			// dumpThreads creates the file itself and refuses one that exists
			file = directory.resolve("threads.json").toAbsolutePath();
			HotSpotDiagnosticMXBean bean = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
			method.invoke(bean, file.toString(), this.jsonFormat);
			return new Outcome(JsonThreadDumpParser.virtualThreads(file, platformThreadIds.get()), null);
		}
		catch (InvocationTargetException ex) {
			if (ex.getCause() instanceof Error error) {
				throw error;
			}
			return failed(ex.getCause());
		}
		catch (IOException | ReflectiveOperationException | RuntimeException ex) {
			return failed(ex);
		}
		finally {
			deleteQuietly(file);
			deleteQuietly(directory);
		}
	}

	private static Outcome failed(@Nullable Throwable cause) {
		String reason = (cause != null) ? cause.getClass().getSimpleName() + ": " + cause.getMessage() : "unknown";
		return new Outcome(List.of(), "the JDK's JSON thread dump failed (" + reason + ")");
	}

	private static void deleteQuietly(@Nullable Path path) {
		if (path == null) {
			return;
		}
		try {
			Files.deleteIfExists(path);
		}
		catch (IOException ex) {
			path.toFile().deleteOnExit();
		}
	}

	/**
	 * What a virtual-thread dump produced.
	 *
	 * @param threads the virtual threads, each with its container
	 * @param omittedReason why virtual threads are missing, or {@code null} when they are
	 * included (or when the JDK has none)
	 */
	record Outcome(List<ThreadStack> threads, @Nullable String omittedReason) {
	}

}
