package dev.diagkit.profiling;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.management.ManagementFactory;
import java.lang.management.RuntimeMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.diagkit.labels.LabelPolicy;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Recording;
import jdk.jfr.StackTrace;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.jspecify.annotations.Nullable;

/**
 * Keeps secrets out of every JFR file diagkit serves. A JDK recording carries every
 * environment variable with its value ({@code jdk.InitialEnvironmentVariable}), other
 * processes' command lines ({@code jdk.SystemProcess}), every system property
 * ({@code jdk.InitialSystemProperty}) and the JVM's command line ({@code jdk.JVMInformation}),
 * where database passwords and API tokens live, and on Java 22+ the options of Java and
 * native agents ({@code jdk.JavaAgent}, {@code jdk.NativeAgent}), which often carry API keys.
 * diagkit's recordings turn those events off and, on Java 19 and later, record instead {@value #JVM_EVENT} and
 * {@value #PROPERTY_EVENT}, in which the value of every option and property whose name or
 * value looks like a secret is replaced by {@value #REDACTED}. (Java 17's recorder can lose
 * the text of a custom event's strings in the second recording of a process, showing
 * {@code N/A}, so there the replacements are left out.) Environment variables and other
 * processes are not recorded at all.
 * <p>
 * Another recording in the same JVM (a {@code -XX:StartFlightRecording}, say) can still
 * turn those events on, and JFR writes them into every recording running at the time. So
 * each file is checked once written: on Java 19 and later the events are removed from it; on
 * Java 17, which cannot rewrite a recording, a file that holds any of them is deleted and
 * the capture refused ({@link UnsafeRecordingException}).
 */
public final class JfrRedaction {

	/** The JDK events diagkit's files never contain. */
	public static final Set<String> STRIPPED_EVENTS = Set.of("jdk.InitialEnvironmentVariable", "jdk.SystemProcess",
			"jdk.InitialSystemProperty", "jdk.JVMInformation", "jdk.JavaAgent", "jdk.NativeAgent");

	/** The event that replaces {@code jdk.JVMInformation}. */
	public static final String JVM_EVENT = "dev.diagkit.JVMInformation";

	/** The event that replaces {@code jdk.InitialSystemProperty}. */
	public static final String PROPERTY_EVENT = "dev.diagkit.SystemProperty";

	/** What stands for a redacted value. */
	public static final String REDACTED = "_redacted";

	// -Dkey=value, --key=value, -XX:Key=value: the name decides
	private static final Pattern OPTION = Pattern.compile("^(-D|--|-XX:)([^=]+)=(.*)$");

	private static final @Nullable Method WRITE = writeMethod();

	private JfrRedaction() {
	}

	/**
	 * Turns the secret-carrying JDK events off in a recording and its replacements on; call
	 * after the recording's other settings are made.
	 * @param recording the recording, not yet started
	 */
	public static void apply(Recording recording) {
		Map<String, String> settings = new LinkedHashMap<>(recording.getSettings());
		for (String event : STRIPPED_EVENTS) {
			settings.put(event + "#enabled", "false");
		}
		settings.put(JVM_EVENT + "#enabled", "true");
		settings.put(PROPERTY_EVENT + "#enabled", "true");
		recording.setSettings(settings);
	}

	/**
	 * Records the redacted JVM information and system properties; call once the recording
	 * has started.
	 */
	public static void recordRedacted() {
		if (WRITE == null) {
			return;
		}
		RuntimeMXBean runtime = ManagementFactory.getRuntimeMXBean();
		JvmInformation jvm = new JvmInformation();
		if (jvm.isEnabled()) {
			jvm.jvmName = runtime.getVmName();
			jvm.jvmVersion = System.getProperty("java.vm.version");
			jvm.jvmArguments = redactArguments(runtime.getInputArguments());
			String command = System.getProperty("sun.java.command");
			jvm.javaArguments = (command != null) ? redactArguments(List.of(command.split(" "))) : null;
			jvm.jvmStartTime = runtime.getStartTime();
			jvm.pid = ProcessHandle.current().pid();
			jvm.commit();
		}
		if (!new SystemProperty().isEnabled()) {
			return;
		}
		Properties properties = System.getProperties();
		for (String key : new TreeSet<>(properties.stringPropertyNames())) {
			SystemProperty property = new SystemProperty();
			property.key = key;
			property.value = redactValue(key, properties.getProperty(key));
			property.commit();
		}
	}

	/**
	 * Makes sure a file diagkit wrote holds none of {@link #STRIPPED_EVENTS}: rewrites it
	 * without them where the JDK can, else refuses it.
	 * @param file the recording file
	 * @throws UnsafeRecordingException if the file holds such events and this JDK cannot
	 * remove them (the file is deleted)
	 * @throws IOException if the file cannot be read or rewritten
	 */
	public static void scrub(Path file) throws IOException {
		if (WRITE != null) {
			Path clean = Files.createTempFile(file.getParent(), "scrubbed-", ".jfr");
			try {
				try (RecordingFile recording = new RecordingFile(file)) {
					Predicate<RecordedEvent> keep = JfrRedaction::keep;
					WRITE.invoke(recording, clean, keep);
				}
				catch (IllegalAccessException | InvocationTargetException ex) {
					Throwable cause = (ex instanceof InvocationTargetException target) ? target.getCause() : ex;
					throw (cause instanceof IOException io) ? io : new IOException("Cannot rewrite " + file, cause);
				}
				Files.move(clean, file, StandardCopyOption.REPLACE_EXISTING);
			}
			finally {
				Files.deleteIfExists(clean);
			}
			return;
		}
		Set<String> found = new TreeSet<>();
		try (RecordingFile recording = new RecordingFile(file)) {
			while (recording.hasMoreEvents()) {
				String name = recording.readEvent().getEventType().getName();
				if (STRIPPED_EVENTS.contains(name)) {
					found.add(name);
				}
			}
		}
		if (!found.isEmpty()) {
			Files.deleteIfExists(file);
			throw new UnsafeRecordingException("Another JFR recording in this JVM records " + found
					+ ", which hold environment variables, other processes' command lines and secrets given as "
					+ "system properties; JFR writes them into every recording running at the same time, and Java "
					+ Runtime.version().feature() + " cannot remove them from a file, so diagkit does not serve "
					+ "it. Stop that recording or disable those events in it (for example "
					+ "-XX:StartFlightRecording:settings=... with a .jfc that turns them off), or run on Java 19 or "
					+ "later, where diagkit removes them");
		}
	}

	/** Drops the stripped events, and replacements whose text the recorder lost. */
	private static boolean keep(RecordedEvent event) {
		String name = event.getEventType().getName();
		if (JVM_EVENT.equals(name)) {
			return event.getString("jvmName") != null;
		}
		if (PROPERTY_EVENT.equals(name)) {
			return event.getString("key") != null && event.getString("value") != null;
		}
		return !STRIPPED_EVENTS.contains(name);
	}

	/** Redacts the values of options whose names, and of arguments whose shapes, look secret. */
	static String redactArguments(List<String> arguments) {
		StringBuilder redacted = new StringBuilder();
		for (String argument : arguments) {
			if (redacted.length() > 0) {
				redacted.append(' ');
			}
			Matcher option = OPTION.matcher(argument);
			if (option.matches()) {
				redacted.append(option.group(1)).append(option.group(2)).append('=')
					.append(redactValue(option.group(2), option.group(3)));
			}
			else {
				redacted.append(LabelPolicy.looksLikeSecret(argument) ? REDACTED : argument);
			}
		}
		return redacted.toString();
	}

	static String redactValue(String name, String value) {
		return (LabelPolicy.looksLikeSecretName(name) || LabelPolicy.looksLikeSecret(value)) ? REDACTED : value;
	}

	private static @Nullable Method writeMethod() {
		try {
			return RecordingFile.class.getMethod("write", Path.class, Predicate.class);
		}
		catch (NoSuchMethodException ex) {
			return null;
		}
	}

	@Name(JVM_EVENT)
	@Label("JVM Information (redacted)")
	@Description("jdk.JVMInformation with the values of secret-looking options replaced by _redacted")
	@Category({ "diagkit" })
	@Enabled(false)
	@StackTrace(false)
	static final class JvmInformation extends Event {

		@Label("JVM Name")
		String jvmName;

		@Label("JVM Version")
		String jvmVersion;

		@Label("JVM Command Line Arguments")
		String jvmArguments;

		@Label("Java Application Arguments")
		@Nullable String javaArguments;

		@Label("JVM Start Time")
		@jdk.jfr.Timestamp
		long jvmStartTime;

		@Label("Process Identifier")
		long pid;

	}

	@Name(PROPERTY_EVENT)
	@Label("System Property (redacted)")
	@Description("A system property, its value replaced by _redacted when its name or value looks like a secret")
	@Category({ "diagkit" })
	@Enabled(false)
	@StackTrace(false)
	static final class SystemProperty extends Event {

		@Label("Key")
		String key;

		@Label("Value")
		String value;

	}

}
