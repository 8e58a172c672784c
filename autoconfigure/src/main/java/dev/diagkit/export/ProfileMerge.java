package dev.diagkit.export;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import dev.diagkit.labels.LabelSet;
import dev.diagkit.profiling.PprofReader;
import dev.diagkit.profiling.Profile;
import dev.diagkit.profiling.ProfileType;
import dev.diagkit.profiling.StackFrame;

/**
 * Merges the store's files into one profile in bounded memory: samples stream from each
 * file into one builder (no file is held as a profile), identical (stack, labels) samples
 * are summed, the distinct ones capped ({@link Profile.Builder#maxStacks(int)}), and frames
 * and label sets equal across files are kept once. Notes are kept once each, up to
 * {@value #MAX_NOTES}. The period is the first file's.
 */
final class ProfileMerge {

	static final int MAX_NOTES = 20;

	/**
	 * Beyond this many distinct frames (or label sets) the canonical copies are let go: they
	 * only save memory while most are shared.
	 */
	private static final int MAX_INTERNED = 20_000;

	private final ProfileType type;

	private final Profile.Builder builder;

	private final Map<StackFrame, StackFrame> frames = new HashMap<>();

	private final Map<LabelSet, LabelSet> labelSets = new HashMap<>();

	private final Set<String> notes = new LinkedHashSet<>();

	private int notesLeftOut;

	private long period = -1;

	private final Set<String> droppedKeys;

	ProfileMerge(ProfileType type, Instant start, int maxStacks) {
		this(type, start, maxStacks, Set.of());
	}

	/**
	 * Creates a merge that leaves the given label keys out of every sample, so that samples
	 * differing only in them are summed.
	 */
	ProfileMerge(ProfileType type, Instant start, int maxStacks, Set<String> droppedKeys) {
		this.type = type;
		this.builder = Profile.builder(type, start, 0).maxStacks(maxStacks);
		this.droppedKeys = droppedKeys;
	}

	/**
	 * Adds the samples of a file that {@code focus} accepts.
	 * @param reader the reader
	 * @param file a profile of the merge's type
	 * @param focus which samples to keep, by their labels
	 * @throws IOException if the file cannot be read; samples read before the error was found
	 * have been added
	 */
	void add(PprofReader reader, Path file, Predicate<LabelSet> focus) throws IOException {
		if (this.frames.size() > MAX_INTERNED) {
			this.frames.clear();
		}
		if (this.labelSets.size() > MAX_INTERNED) {
			this.labelSets.clear();
		}
		// the reader shares frames and label sets within a file: map them once per file
		Map<StackFrame, StackFrame> fileFrames = new IdentityHashMap<>();
		Map<LabelSet, LabelSet> fileLabels = new IdentityHashMap<>();
		Profile header = reader.read(file, this.type, (stack, labels, values) -> {
			if (!focus.test(labels)) {
				return;
			}
			StackFrame[] interned = new StackFrame[stack.size()];
			for (int i = 0; i < interned.length; i++) {
				StackFrame frame = stack.get(i);
				StackFrame canonical = fileFrames.get(frame);
				if (canonical == null) {
					canonical = this.frames.computeIfAbsent(frame, (f) -> f);
					fileFrames.put(frame, canonical);
				}
				interned[i] = canonical;
			}
			LabelSet canonicalLabels = fileLabels.get(labels);
			if (canonicalLabels == null) {
				LabelSet kept = this.droppedKeys.isEmpty() ? labels : labels.without(this.droppedKeys);
				canonicalLabels = this.labelSets.computeIfAbsent(kept, (l) -> l);
				fileLabels.put(labels, canonicalLabels);
			}
			this.builder.add(List.of(interned), canonicalLabels, values);
		});
		if (this.period < 0) {
			this.period = header.period();
		}
		for (String note : header.notes()) {
			if (!this.notes.contains(note)) {
				if (this.notes.size() < MAX_NOTES) {
					this.notes.add(note);
				}
				else {
					this.notesLeftOut++;
				}
			}
		}
	}

	/**
	 * Adds a remark to the merged profile.
	 * @param note the remark
	 */
	void note(String note) {
		this.notes.add(note);
	}

	/**
	 * Returns the merged profile.
	 * @param duration how long it covers
	 * @return the profile
	 */
	Profile build(Duration duration) {
		for (String note : this.notes) {
			this.builder.note(note);
		}
		if (this.notesLeftOut > 0) {
			this.builder.note(this.notesLeftOut + " more distinct notes of the merged profiles were left out");
		}
		Profile merged = this.builder.build(duration);
		return new Profile(merged.type(), merged.start(), merged.duration(), Math.max(0, this.period),
				merged.samples(), merged.notes());
	}

}
