package dev.diagkit.profiling;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.diagkit.labels.LabelSet;
import dev.diagkit.profiling.Profile.Sample;
import dev.diagkit.profiling.ProfileType.ValueType;

/**
 * Writes a {@link Profile} as collapsed ("folded") stacks, the text that
 * {@code flamegraph.pl}, inferno, speedscope and Pyroscope ({@code format=folded}) read: a
 * line per stack, its frames root first separated by {@code ;}, then a space and the value.
 * <pre>
 * java.lang.Thread.run;com.acme.Pricing.quote;com.acme.Pricing.compute 3000000
 * </pre>
 * <ul>
 * <li>A frame is {@code class.method}; line numbers are left out, so a method is one frame.
 * <li>The value is one of the sample's values, by default the last sample type (CPU
 * nanoseconds, allocated bytes, contention delay); see {@link #withValueIndex(int)}.
 * <li>Lines with the same text are merged and their values summed. Lines are sorted by
 * text; lines whose value is 0 and lines with no frame at all are left out.
 * <li>With label frames, a sample's labels come first, as root frames
 * {@code key=value}, so a flame graph splits by label before it splits by code:
 * <pre>
 * tenant=acme;java.lang.Thread.run;com.acme.Pricing.quote;com.acme.Pricing.compute 3000000
 * </pre>
 * {@link #withLabelFrames()} puts every label of the sample, in key order;
 * {@link #withLabelFrames(List)} puts the given keys in the given order, and a sample
 * without one of them gets {@code key=} with an empty value there, as
 * {@code go tool pprof -tagroot} does.
 * <li>A {@code ;} or line break inside a frame (in a label value, say) becomes {@code _},
 * so that it cannot split a frame or a line.
 * </ul>
 * The format has no place for the profile's notes; they are not written.
 * <p>
 * Immutable and thread-safe.
 */
public final class CollapsedWriter {

	private static final int LAST_VALUE = -1;

	private final int valueIndex;

	private final boolean allLabels;

	private final List<String> labelKeys;

	/**
	 * Creates a writer of the last value, without label frames.
	 */
	public CollapsedWriter() {
		this(LAST_VALUE, false, List.of());
	}

	private CollapsedWriter(int valueIndex, boolean allLabels, List<String> labelKeys) {
		this.valueIndex = valueIndex;
		this.allLabels = allLabels;
		this.labelKeys = labelKeys;
	}

	/**
	 * Returns a writer of another value of each sample.
	 * @param valueIndex the index of the sample type, as in
	 * {@link ProfileType#sampleTypes()} (pprof's {@code -sample_index})
	 * @return the new writer
	 * @throws IllegalArgumentException if the index is negative
	 */
	public CollapsedWriter withValueIndex(int valueIndex) {
		if (valueIndex < 0) {
			throw new IllegalArgumentException("valueIndex must be 0 or more, was " + valueIndex);
		}
		return new CollapsedWriter(valueIndex, this.allLabels, this.labelKeys);
	}

	/**
	 * Returns a writer that puts every label of a sample, in key order, as root frames
	 * {@code key=value}.
	 * @return the new writer
	 */
	public CollapsedWriter withLabelFrames() {
		return new CollapsedWriter(this.valueIndex, true, List.of());
	}

	/**
	 * Returns a writer that puts the given label keys, in the given order, as root frames
	 * {@code key=value}; a sample without a key gets {@code key=}.
	 * @param keys the label keys, the first one at the root
	 * @return the new writer
	 * @throws IllegalArgumentException if there are no keys or a key is blank
	 */
	public CollapsedWriter withLabelFrames(List<String> keys) {
		if (keys.isEmpty()) {
			throw new IllegalArgumentException("keys must name at least one label; use withLabelFrames() for all");
		}
		for (String key : keys) {
			if (key.isBlank()) {
				throw new IllegalArgumentException("keys must not be blank, was " + keys);
			}
		}
		return new CollapsedWriter(this.valueIndex, false, List.copyOf(keys));
	}

	/**
	 * Returns the profile as collapsed stacks.
	 * @param profile the profile
	 * @return the lines, each ending with {@code \n}
	 * @throws IllegalArgumentException if the value index is out of range for the profile
	 */
	public String write(Profile profile) {
		StringWriter out = new StringWriter();
		try {
			write(profile, out);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Writing to memory failed", ex);
		}
		return out.toString();
	}

	/**
	 * Writes the profile as collapsed stacks.
	 * @param profile the profile
	 * @param out receives the lines, each ending with {@code \n}; it is not closed
	 * @throws IOException if writing to {@code out} fails
	 * @throws IllegalArgumentException if the value index is out of range for the profile
	 */
	public void write(Profile profile, Writer out) throws IOException {
		int index = resolveValueIndex(profile.type());
		Map<String, Long> lines = new TreeMap<>();
		StringBuilder line = new StringBuilder();
		for (Sample sample : profile.samples()) {
			line.setLength(0);
			appendLabelFrames(line, sample.labels());
			List<StackFrame> stack = sample.stack();
			for (int i = stack.size() - 1; i >= 0; i--) {
				appendFrame(line, stack.get(i).functionName());
			}
			if (line.length() > 0) {
				lines.merge(line.toString(), sample.value(index), Long::sum);
			}
		}
		for (Map.Entry<String, Long> entry : lines.entrySet()) {
			if (entry.getValue() != 0) {
				out.write(entry.getKey());
				out.write(' ');
				out.write(Long.toString(entry.getValue()));
				out.write('\n');
			}
		}
	}

	private int resolveValueIndex(ProfileType type) {
		List<ValueType> sampleTypes = type.sampleTypes();
		if (this.valueIndex == LAST_VALUE) {
			return sampleTypes.size() - 1;
		}
		if (this.valueIndex >= sampleTypes.size()) {
			StringBuilder accepted = new StringBuilder();
			for (int i = 0; i < sampleTypes.size(); i++) {
				ValueType valueType = sampleTypes.get(i);
				accepted.append((i > 0) ? ", " : "")
					.append(i)
					.append(" (")
					.append(valueType.type())
					.append(' ')
					.append(valueType.unit())
					.append(')');
			}
			throw new IllegalArgumentException("valueIndex " + this.valueIndex + " is out of range for a "
					+ type.id() + " profile, whose values are " + accepted);
		}
		return this.valueIndex;
	}

	private void appendLabelFrames(StringBuilder line, LabelSet labels) {
		if (this.allLabels) {
			labels.forEach((key, value) -> appendFrame(line, key + "=" + value));
		}
		for (String key : this.labelKeys) {
			String value = labels.get(key);
			appendFrame(line, key + "=" + ((value != null) ? value : ""));
		}
	}

	private static void appendFrame(StringBuilder line, String frame) {
		if (line.length() > 0) {
			line.append(';');
		}
		for (int i = 0; i < frame.length(); i++) {
			char c = frame.charAt(i);
			line.append((c == ';' || c == '\n' || c == '\r') ? '_' : c);
		}
	}

}
