package dev.diagkit.profiling;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import dev.diagkit.labels.LabelSet;
import dev.diagkit.profiling.Profile.Sample;
import dev.diagkit.profiling.ProfileType.ValueType;
import org.jspecify.annotations.Nullable;

/**
 * Writes a {@link Profile} as one self-contained, interactive flame graph HTML page. The
 * styles, the script and the data are inline, so the page opens from a file or an
 * attachment with no network access; its Content-Security-Policy allows nothing else to
 * load or run.
 * <p>
 * The graph is drawn with the root at the top and callees below their callers (an icicle,
 * as in the web views of pprof and Pyroscope), so the hot paths are in view however deep
 * the stacks are. A frame's width is its share of the chosen value, by default the last
 * sample type of the profile ({@code cpu} nanoseconds, {@code alloc_space} bytes,
 * {@code delay} nanoseconds). In the page:
 * <ul>
 * <li>hovering a frame shows its function, value, percentage of the total and self
 * value;</li>
 * <li>clicking a frame zooms into it; the "Reset zoom" button, a click on the root or
 * Escape zooms back out;</li>
 * <li>the search box highlights frames whose function contains the text and shows their
 * share;</li>
 * <li>the label select keeps only the samples carrying one {@code key=value} label, like
 * {@code go tool pprof -tagfocus=key=value};</li>
 * <li>the value select sizes frames by another sample type.</li>
 * </ul>
 * The label, search and value are kept in the page's fragment
 * ({@code #label=tenant%3Dacme&search=Pricing&value=cpu}), so a link opens the same view.
 * <p>
 * Whatever a profile holds (function names, labels, notes) is escaped: text in the markup
 * is HTML-escaped; the embedded JSON escapes {@code <}, {@code >}, {@code &},
 * {@code '} and every non-ASCII character as a backslash-u escape of four hex digits; and
 * the script builds the graph with {@code textContent} only. The page is pure ASCII, so it reads the same
 * whatever charset the {@link Writer} encodes with. Instances are immutable and
 * thread-safe.
 */
public final class FlameGraphHtmlWriter {

	private static final int LAST_VALUE = -1;

	private static final String STYLE = resource("flame-graph.css");

	private static final String SCRIPT = resource("flame-graph.js");

	private static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src '" + ContentSecurityPolicy.hash(SCRIPT)
			+ "'; style-src '" + ContentSecurityPolicy.hash(STYLE) + "'; base-uri 'none'; form-action 'none'";

	private final int valueIndex;

	/**
	 * Creates a writer that sizes frames by the last sample type of each profile's type.
	 */
	public FlameGraphHtmlWriter() {
		this.valueIndex = LAST_VALUE;
	}

	/**
	 * Creates a writer that sizes frames by the sample type at {@code valueIndex} in
	 * {@link ProfileType#sampleTypes()}, such as 0 for {@code samples} in a CPU profile.
	 * @param valueIndex the index of the sample type to size by
	 * @throws IllegalArgumentException if the index is negative
	 */
	public FlameGraphHtmlWriter(int valueIndex) {
		if (valueIndex < 0) {
			throw new IllegalArgumentException("valueIndex must be 0 or more, was " + valueIndex);
		}
		this.valueIndex = valueIndex;
	}

	/**
	 * Returns the page for a profile.
	 * @param profile the profile
	 * @return the HTML page
	 * @throws IllegalArgumentException if the profile's type has no sample type at the
	 * chosen index
	 */
	public String write(Profile profile) {
		StringWriter out = new StringWriter();
		try {
			write(profile, out);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return out.toString();
	}

	/**
	 * Writes the page for a profile. The writer is flushed, not closed.
	 * @param profile the profile
	 * @param out where to write the page
	 * @throws IOException if writing fails
	 * @throws IllegalArgumentException if the profile's type has no sample type at the
	 * chosen index
	 */
	public void write(Profile profile, Writer out) throws IOException {
		write(profile, null, out);
	}

	/**
	 * Returns a differential flame graph: the profile's frames coloured by how their share of
	 * the total changed against {@code base} (red grew, blue shrank), with both values and
	 * the change in each frame's tooltip.
	 * @param profile the profile
	 * @param base the profile to compare with, of the same type
	 * @return the HTML page
	 * @throws IllegalArgumentException if the profiles' types differ
	 */
	public String write(Profile profile, Profile base) {
		StringWriter out = new StringWriter();
		try {
			write(profile, base, out);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return out.toString();
	}

	/**
	 * Writes the page for a profile, differential when {@code base} is given. The writer is
	 * flushed, not closed.
	 * @param profile the profile
	 * @param base the profile to compare with, of the same type, or {@code null}
	 * @param out where to write the page
	 * @throws IOException if writing fails
	 * @throws IllegalArgumentException if the profiles' types differ
	 */
	public void write(Profile profile, @Nullable Profile base, Writer out) throws IOException {
		if (base != null && base.type() != profile.type()) {
			throw new IllegalArgumentException(
					"A " + profile.type().id() + " profile cannot be compared with a " + base.type().id() + " profile");
		}
		List<ValueType> valueTypes = profile.type().sampleTypes();
		int index = valueIndex(profile.type());
		BufferedWriter page = new BufferedWriter(out);
		page.write("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
		page.write("<meta http-equiv=\"Content-Security-Policy\" content=\"" + CONTENT_SECURITY_POLICY + "\">\n");
		page.write("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
		text(page, profile.type().id() + " profile, " + profile.start() + " - diagkit flame graph");
		page.write("</title>\n<style>");
		page.write(STYLE);
		page.write("</style>\n</head>\n<body>\n<header>\n<h1>");
		text(page, profile.type().id() + ((base != null) ? " profile compared with an earlier one" : " profile"));
		page.write("</h1>\n<dl class=\"meta\">\n");
		field(page, "Start", profile.start().toString());
		field(page, "Duration", formatDuration(profile.duration()));
		if (base != null) {
			field(page, "Compared with", base.start() + " for " + formatDuration(base.duration()) + ", "
					+ totals(base, valueTypes));
		}
		ValueType periodType = profile.type().periodType();
		field(page, "Period", format(profile.period(), periodType));
		field(page, "Total", totals(profile, valueTypes));
		page.write("</dl>\n");
		if (!profile.notes().isEmpty()) {
			page.write("<ul class=\"notes\">\n");
			for (String note : profile.notes()) {
				page.write("<li>");
				text(page, note);
				page.write("</li>\n");
			}
			page.write("</ul>\n");
		}
		page.write("</header>\n<nav class=\"controls\">\n");
		page.write("<label>Size by <select id=\"value\"></select></label>\n");
		page.write("<label>Label <select id=\"label\"></select></label>\n");
		page.write("<label>Search <input id=\"search\" type=\"search\" placeholder=\"function name\"></label>\n");
		page.write("<button id=\"reset\" type=\"button\" disabled>Reset zoom</button>\n");
		page.write("<span id=\"status\" class=\"status\"></span>\n</nav>\n");
		page.write("<p class=\"hint\">Root at the top, callees below; width is the share of the value"
				+ ((base != null) ? " (the mean of its shares in both profiles); red frames took a larger share of "
						+ "the total than before, blue a smaller one, grey about the same" : "")
				+ ". Click a frame to zoom, Escape to zoom out.</p>\n");
		page.write("<main id=\"graph\" class=\"graph\">");
		page.write("<noscript>The flame graph needs JavaScript.</noscript></main>\n");
		page.write("<div id=\"tip\" class=\"tip\" hidden></div>\n");
		page.write("<script type=\"application/json\" id=\"profile-data\">");
		data(page, profile, base, index);
		page.write("</script>\n<script>");
		page.write(SCRIPT);
		page.write("</script>\n</body>\n</html>\n");
		page.flush();
	}

	private int valueIndex(ProfileType type) {
		List<ValueType> valueTypes = type.sampleTypes();
		if (this.valueIndex == LAST_VALUE) {
			return valueTypes.size() - 1;
		}
		if (this.valueIndex >= valueTypes.size()) {
			List<String> accepted = new ArrayList<>();
			for (int i = 0; i < valueTypes.size(); i++) {
				accepted.add(i + " (" + valueTypes.get(i).type() + ")");
			}
			throw new IllegalArgumentException("valueIndex " + this.valueIndex + " does not exist in a " + type.id()
					+ " profile, whose values are " + String.join(", ", accepted));
		}
		return this.valueIndex;
	}

	private static void field(Writer page, String name, String value) throws IOException {
		page.write("<div><dt>");
		text(page, name);
		page.write("</dt><dd>");
		text(page, value);
		page.write("</dd></div>\n");
	}

	private static String totals(Profile profile, List<ValueType> valueTypes) {
		long[] totals = new long[valueTypes.size()];
		for (Sample sample : profile.samples()) {
			for (int i = 0; i < totals.length; i++) {
				totals[i] += sample.value(i);
			}
		}
		List<String> parts = new ArrayList<>();
		for (int i = 0; i < totals.length; i++) {
			parts.add(format(totals[i], valueTypes.get(i)));
		}
		return String.join(", ", parts);
	}

	/**
	 * Writes the data the script draws from: each sample as
	 * {@code [labelSet, [values], [frames, root first]]}, streamed as it is read, then the
	 * function names and label pairs the samples point to, and the distinct label sets as
	 * lists of pair indices.
	 */
	private static void data(Writer page, Profile profile, @Nullable Profile base, int index) throws IOException {
		page.write("{\"type\":");
		json(page, profile.type().id());
		page.write(",\"value\":" + index + ",\"valueTypes\":[");
		List<ValueType> valueTypes = profile.type().sampleTypes();
		for (int i = 0; i < valueTypes.size(); i++) {
			page.write((i > 0) ? ",{\"type\":" : "{\"type\":");
			json(page, valueTypes.get(i).type());
			page.write(",\"unit\":");
			json(page, valueTypes.get(i).unit());
			page.write("}");
		}
		Map<String, Integer> names = new LinkedHashMap<>();
		Map<LabelSet, Integer> labelSets = new LinkedHashMap<>();
		page.write("],\n\"samples\":[");
		samples(page, profile, names, labelSets);
		if (base != null) {
			page.write("],\n\"baseSamples\":[");
			samples(page, base, names, labelSets);
		}
		page.write("],\n\"names\":[");
		boolean first = true;
		for (String name : names.keySet()) {
			page.write(first ? "\n" : ",\n");
			json(page, name);
			first = false;
		}
		Map<Label, Integer> labels = labelIndices(labelSets.keySet());
		page.write("],\n\"labels\":[");
		first = true;
		for (Label label : labels.keySet()) {
			page.write(first ? "\n" : ",\n");
			json(page, label.key() + "=" + label.value());
			first = false;
		}
		page.write("],\n\"labelSets\":[");
		first = true;
		for (LabelSet set : labelSets.keySet()) {
			List<String> pairs = new ArrayList<>();
			set.forEach((key, value) -> pairs.add(String.valueOf(labels.get(new Label(key, value)))));
			page.write((first ? "[" : ",[") + String.join(",", pairs) + "]");
			first = false;
		}
		page.write("]}");
	}

	private static void samples(Writer page, Profile profile, Map<String, Integer> names,
			Map<LabelSet, Integer> labelSets) throws IOException {
		boolean first = true;
		for (Sample sample : profile.samples()) {
			Integer set = labelSets.computeIfAbsent(sample.labels(), (labels) -> labelSets.size());
			page.write((first ? "\n[" : ",\n[") + set + ",[");
			first = false;
			long[] values = sample.values();
			for (int i = 0; i < values.length; i++) {
				page.write(((i > 0) ? "," : "") + values[i]);
			}
			page.write("],[");
			List<StackFrame> stack = sample.stack();
			for (int i = stack.size() - 1; i >= 0; i--) {
				Integer name = names.computeIfAbsent(stack.get(i).functionName(), (function) -> names.size());
				page.write(name + ((i > 0) ? "," : ""));
			}
			page.write("]]");
		}
	}

	private static Map<Label, Integer> labelIndices(Iterable<LabelSet> labelSets) {
		Map<Label, Integer> labels = new TreeMap<>(Comparator.comparing(Label::key).thenComparing(Label::value));
		for (LabelSet set : labelSets) {
			set.forEach((key, value) -> labels.put(new Label(key, value), 0));
		}
		int i = 0;
		for (Map.Entry<Label, Integer> entry : labels.entrySet()) {
			entry.setValue(i++);
		}
		return labels;
	}

	/**
	 * Writes a JSON string that is safe inside a {@code <script>} element: besides quotes,
	 * backslashes and controls, {@code <}, {@code >}, {@code &}, {@code '} and everything
	 * outside printable ASCII become a backslash-u escape of four hex digits, so no
	 * {@code </script>} or {@code <!--} can appear.
	 */
	static void json(Writer out, String value) throws IOException {
		out.write('"');
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c == '"' || c == '\\') {
				out.write('\\');
				out.write(c);
			}
			else if (c < 0x20 || c > 0x7e || c == '<' || c == '>' || c == '&' || c == '\'') {
				out.write(String.format("\\u%04x", (int) c));
			}
			else {
				out.write(c);
			}
		}
		out.write('"');
	}

	/**
	 * Writes HTML text (element content or a quoted attribute value): markup characters
	 * become entities, everything outside ASCII a numeric reference, and controls or lone
	 * surrogates U+FFFD.
	 */
	static void text(Writer out, String value) throws IOException {
		for (int i = 0; i < value.length();) {
			int c = value.codePointAt(i);
			i += Character.charCount(c);
			switch (c) {
				case '&' -> out.write("&amp;");
				case '<' -> out.write("&lt;");
				case '>' -> out.write("&gt;");
				case '"' -> out.write("&quot;");
				case '\'' -> out.write("&#39;");
				case '\t', '\n', '\r' -> out.write(c);
				default -> {
					if (c < 0x20 || c == 0x7f || Character.getType(c) == Character.SURROGATE) {
						out.write("&#xfffd;");
					}
					else if (c > 0x7f) {
						out.write("&#x" + Integer.toHexString(c) + ";");
					}
					else {
						out.write(c);
					}
				}
			}
		}
	}

	private static String format(long value, ValueType type) {
		return switch (type.unit()) {
			case "nanoseconds" -> formatNanos(value) + " " + type.type();
			case "bytes" -> formatBytes(value) + " " + type.type();
			case "count" -> String.format(Locale.ROOT, "%,d", value) + " " + type.type();
			default -> String.format(Locale.ROOT, "%,d", value) + " " + type.unit() + " " + type.type();
		};
	}

	private static String formatDuration(Duration duration) {
		long nanos = (duration.getSeconds() < Long.MAX_VALUE / 1_000_000_000L) ? duration.toNanos() : Long.MAX_VALUE;
		return formatNanos(nanos);
	}

	private static String formatNanos(long nanos) {
		long abs = Math.abs(nanos);
		if (abs >= 1_000_000_000L) {
			return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
		}
		if (abs >= 1_000_000L) {
			return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
		}
		if (abs >= 1_000L) {
			return String.format(Locale.ROOT, "%.2f \u00b5s", nanos / 1e3);
		}
		return nanos + " ns";
	}

	private static String formatBytes(long bytes) {
		String[] units = { "KiB", "MiB", "GiB", "TiB" };
		if (Math.abs(bytes) < 1024) {
			return bytes + " B";
		}
		double value = bytes;
		int unit = -1;
		while (Math.abs(value) >= 1024 && unit < units.length - 1) {
			value /= 1024;
			unit++;
		}
		return String.format(Locale.ROOT, "%.2f %s", value, units[unit]);
	}

	private static String resource(String name) {
		try (InputStream in = FlameGraphHtmlWriter.class.getResourceAsStream(name)) {
			if (in == null) {
				throw new IllegalStateException("The flame graph resource " + name + " is missing from the classpath");
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read the flame graph resource " + name, ex);
		}
	}

	private record Label(String key, String value) {
	}

}
