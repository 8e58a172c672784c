package dev.diagkit.runtime;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;

import org.jspecify.annotations.Nullable;

/**
 * The JVM's native memory by category, from Native Memory Tracking (NMT): the answer of
 * the DiagnosticCommand MBean's {@code vmNativeMemory summary}, the same text as
 * {@code jcmd <pid> VM.native_memory summary}, with its totals and categories parsed.
 * <p>
 * NMT must be switched on when the JVM starts ({@code -XX:NativeMemoryTracking=summary});
 * when it is off the summary says so and how to switch it on. Taking a summary costs a few
 * milliseconds and does not stop the world.
 */
public final class NativeMemorySummary {

	/** What to tell a user whose JVM runs without NMT. */
	public static final String ENABLE_MESSAGE = "Native memory tracking is not enabled in this JVM. Start the JVM "
			+ "with -XX:NativeMemoryTracking=summary (on the command line or in JAVA_TOOL_OPTIONS) to enable it; it "
			+ "cannot be switched on while the JVM runs. Tracking costs some memory (a header on every native "
			+ "allocation and its own tables, about 1 MB in a small JVM) and a little CPU on native allocations.";

	private static final String DIAGNOSTIC_COMMAND = "com.sun.management:type=DiagnosticCommand";

	private static final Pattern TOTAL = Pattern.compile("(?m)^Total: reserved=(\\d+)(B|KB|MB|GB), "
			+ "committed=(\\d+)(B|KB|MB|GB)");

	private static final Pattern CATEGORY = Pattern.compile("(?m)^-\\s+(\\S.*?) \\(reserved=(\\d+)(B|KB|MB|GB), "
			+ "committed=(\\d+)(B|KB|MB|GB)");

	private final Status status;

	private final String message;

	private final String text;

	private final @Nullable Category total;

	private final List<Category> categories;

	private NativeMemorySummary(Status status, String message, String text, @Nullable Category total,
			List<Category> categories) {
		this.status = status;
		this.message = message;
		this.text = text;
		this.total = total;
		this.categories = Collections.unmodifiableList(categories);
	}

	/**
	 * Takes the summary of the running JVM from the platform MBean server.
	 * @return the summary; never throws
	 */
	public static NativeMemorySummary take() {
		return take(ManagementFactory.getPlatformMBeanServer());
	}

	/**
	 * Takes the summary of the JVM behind an MBean server connection.
	 * @param server the connection
	 * @return the summary, {@link Status#UNAVAILABLE} when the DiagnosticCommand MBean is
	 * missing or the call fails; never throws
	 */
	public static NativeMemorySummary take(MBeanServerConnection server) {
		Object answer;
		try {
			answer = server.invoke(new ObjectName(DIAGNOSTIC_COMMAND), "vmNativeMemory",
					new Object[] { new String[] { "summary" } }, new String[] { String[].class.getName() });
		}
		catch (InstanceNotFoundException ex) {
			return unavailable("This JVM has no DiagnosticCommand MBean (" + DIAGNOSTIC_COMMAND
					+ "): native memory tracking needs a HotSpot JVM", "");
		}
		catch (JMException | IOException | RuntimeException ex) {
			return unavailable("The DiagnosticCommand MBean could not take a native memory summary: " + ex, "");
		}
		if (!(answer instanceof String output)) {
			return unavailable("The DiagnosticCommand MBean answered vmNativeMemory with " + answer, "");
		}
		return parse(output);
	}

	/**
	 * Reads the answer of {@code vmNativeMemory summary} (or of
	 * {@code jcmd <pid> VM.native_memory summary}).
	 * @param output the text the JVM answered
	 * @return the summary: {@link Status#ENABLED} with the totals and categories found,
	 * {@link Status#NOT_ENABLED} with {@link #ENABLE_MESSAGE}, or {@link Status#UNAVAILABLE}
	 * with the JVM's own words for anything else (such as tracking shut down)
	 */
	public static NativeMemorySummary parse(String output) {
		Matcher total = TOTAL.matcher(output);
		if (total.find()) {
			List<Category> categories = new ArrayList<>();
			Matcher category = CATEGORY.matcher(output);
			while (category.find()) {
				categories.add(new Category(category.group(1), kilobytes(category.group(2), category.group(3)),
						kilobytes(category.group(4), category.group(5))));
			}
			Category sum = new Category("Total", kilobytes(total.group(1), total.group(2)),
					kilobytes(total.group(3), total.group(4)));
			return new NativeMemorySummary(Status.ENABLED, "", output, sum, categories);
		}
		if (output.toLowerCase(Locale.ROOT).contains("not enabled")) {
			return new NativeMemorySummary(Status.NOT_ENABLED, ENABLE_MESSAGE, output, null, List.of());
		}
		return unavailable("The JVM gave no native memory summary: " + output.strip(), output);
	}

	private static NativeMemorySummary unavailable(String message, String text) {
		return new NativeMemorySummary(Status.UNAVAILABLE, message, text, null, List.of());
	}

	private static long kilobytes(String amount, String unit) {
		long value = Long.parseLong(amount);
		return switch (unit) {
			case "B" -> value / 1024;
			case "MB" -> value * 1024;
			case "GB" -> value * 1024 * 1024;
			default -> value;
		};
	}

	/**
	 * Returns whether a summary was taken.
	 * @return {@code true} when NMT is on and the summary was read
	 */
	public boolean enabled() {
		return this.status == Status.ENABLED;
	}

	/**
	 * Returns the outcome.
	 * @return whether a summary was taken, and if not why
	 */
	public Status status() {
		return this.status;
	}

	/**
	 * Returns what a user should know when no summary was taken.
	 * @return how to enable NMT, or why the summary is unavailable; empty when enabled
	 */
	public String message() {
		return this.message;
	}

	/**
	 * Returns the text the JVM answered.
	 * @return the summary as {@code jcmd} prints it, the JVM's refusal, or empty when the
	 * JVM could not be asked
	 */
	public String text() {
		return this.text;
	}

	/**
	 * Returns the total native memory the JVM reserved and committed.
	 * @return the total (named {@code Total}), or empty when no summary was taken
	 */
	public Optional<Category> total() {
		return Optional.ofNullable(this.total);
	}

	/**
	 * Returns the total reserved native memory.
	 * @return kilobytes reserved, or empty when no summary was taken
	 */
	public OptionalLong totalReservedKb() {
		return (this.total != null) ? OptionalLong.of(this.total.reservedKb()) : OptionalLong.empty();
	}

	/**
	 * Returns the total committed native memory.
	 * @return kilobytes committed, or empty when no summary was taken
	 */
	public OptionalLong totalCommittedKb() {
		return (this.total != null) ? OptionalLong.of(this.total.committedKb()) : OptionalLong.empty();
	}

	/**
	 * Returns the categories in the order the JVM lists them ({@code Java Heap},
	 * {@code Class}, {@code Thread}, {@code Code}, {@code GC}, …). The JVM leaves out
	 * categories below 1 KB.
	 * @return the categories; empty when no summary was taken
	 */
	public List<Category> categories() {
		return this.categories;
	}

	/**
	 * Returns one category by the JVM's name for it.
	 * @param name the name, such as {@code Java Heap}
	 * @return the category, or empty when the summary does not list it
	 */
	public Optional<Category> category(String name) {
		return this.categories.stream().filter((category) -> category.name().equals(name)).findFirst();
	}

	/**
	 * Renders the summary for a JSON writer: {@code status} ({@code enabled},
	 * {@code not-enabled} or {@code unavailable}); when enabled {@code total} and
	 * {@code categories} (name to {@code reservedKb}/{@code committedKb}) and the JVM's
	 * {@code text}; otherwise {@code message}.
	 * @return the summary as maps, lists and numbers
	 */
	public Map<String, Object> toJson() {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("status", this.status.name().toLowerCase(Locale.ROOT).replace('_', '-'));
		if (this.total == null) {
			json.put("message", this.message);
			return json;
		}
		json.put("total", this.total.toJson());
		Map<String, Object> categories = new LinkedHashMap<>();
		for (Category category : this.categories) {
			categories.put(category.name(), category.toJson());
		}
		json.put("categories", categories);
		json.put("text", this.text);
		return json;
	}

	@Override
	public String toString() {
		return (this.total != null) ? "NativeMemorySummary[" + this.total + ", " + this.categories.size()
				+ " categories]" : "NativeMemorySummary[" + this.status + ": " + this.message + "]";
	}

	/**
	 * Whether a summary was taken.
	 */
	public enum Status {

		/** NMT is on: the summary was taken. */
		ENABLED,

		/** NMT is off in this JVM; {@link NativeMemorySummary#message()} says how to switch it on. */
		NOT_ENABLED,

		/** The JVM could not be asked or gave no summary; {@link NativeMemorySummary#message()} says why. */
		UNAVAILABLE

	}

	/**
	 * Native memory of one NMT category (or the total), in kilobytes as the JVM reports it.
	 *
	 * @param name the JVM's name for the category, such as {@code Java Heap}
	 * @param reservedKb address space reserved
	 * @param committedKb memory committed (backed by RAM or swap once touched)
	 */
	public record Category(String name, long reservedKb, long committedKb) {

		Map<String, Object> toJson() {
			Map<String, Object> json = new LinkedHashMap<>();
			json.put("reservedKb", this.reservedKb);
			json.put("committedKb", this.committedKb);
			return json;
		}

	}

}
