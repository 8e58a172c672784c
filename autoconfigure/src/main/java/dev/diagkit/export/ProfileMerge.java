package dev.diagkit.export;

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
import dev.diagkit.profiling.Profile;
import dev.diagkit.profiling.ProfileType;
import dev.diagkit.profiling.StackFrame;
import org.jspecify.annotations.Nullable;

/**
 * Merges profiles read from the store's files into one, in bounded memory: identical
 * (stack, labels) samples are summed, the distinct ones capped
 * ({@link Profile.Builder#maxStacks(int)}), and frames and label sets equal across files are
 * kept once. Notes are kept once each, up to {@value #MAX_NOTES}.
 */
final class ProfileMerge {

	static final int MAX_NOTES = 20;

	/** Beyond this many distinct frames the canonical copies are let go: interning only saves. */
	private static final int MAX_INTERNED = 200_000;

	private final ProfileType type;

	private final Instant start;

	private final int maxStacks;

	private Profile.@Nullable Builder builder;

	private final Map<StackFrame, StackFrame> frames = new HashMap<>();

	private final Map<LabelSet, LabelSet> labelSets = new HashMap<>();

	private final Set<String> notes = new LinkedHashSet<>();

	private int notesLeftOut;

	ProfileMerge(ProfileType type, Instant start, int maxStacks) {
		this.type = type;
		this.start = start;
		this.maxStacks = maxStacks;
	}

	/**
	 * Adds the samples of a profile that {@code focus} accepts.
	 * @param profile a profile of the merge's type
	 * @param focus which samples to keep, by their labels
	 */
	void add(Profile profile, Predicate<LabelSet> focus) {
		Profile.Builder builder = builder(profile.period());
		for (String note : profile.notes()) {
			if (!this.notes.contains(note)) {
				if (this.notes.size() < MAX_NOTES) {
					this.notes.add(note);
				}
				else {
					this.notesLeftOut++;
				}
			}
		}
		if (this.frames.size() > MAX_INTERNED) {
			this.frames.clear();
		}
		Map<StackFrame, StackFrame> canonical = new IdentityHashMap<>();
		for (Profile.Sample sample : profile.samples()) {
			if (!focus.test(sample.labels())) {
				continue;
			}
			List<StackFrame> stack = sample.stack();
			StackFrame[] interned = new StackFrame[stack.size()];
			for (int i = 0; i < interned.length; i++) {
				interned[i] = canonical.computeIfAbsent(stack.get(i),
						(frame) -> this.frames.computeIfAbsent(frame, (f) -> f));
			}
			LabelSet labels = this.labelSets.computeIfAbsent(sample.labels(), (l) -> l);
			builder.add(List.of(interned), labels, sample.values());
		}
	}

	private Profile.Builder builder(long period) {
		if (this.builder == null) {
			this.builder = Profile.builder(this.type, this.start, period).maxStacks(this.maxStacks);
		}
		return this.builder;
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
		Profile.Builder builder = builder(0);
		for (String note : this.notes) {
			builder.note(note);
		}
		if (this.notesLeftOut > 0) {
			builder.note(this.notesLeftOut + " more distinct notes of the merged profiles were left out");
		}
		return builder.build(duration);
	}

}
