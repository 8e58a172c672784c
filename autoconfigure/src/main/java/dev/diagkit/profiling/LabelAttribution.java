package dev.diagkit.profiling;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;

import dev.diagkit.labels.LabelSet;
import dev.diagkit.labels.LabelTimelines;

/**
 * Joins samples to labels: keeps the successive reads of a {@link LabelTimelines} and tells
 * which labels a thread carried at a sample's instant. JFR gives wall-clock instants, label
 * changes carry {@link System#nanoTime()}; one offset, taken when this object is made, maps
 * the first onto the second. Not thread-safe: one profiler thread adds reads and asks.
 */
public final class LabelAttribution {

	private final Deque<Read> reads = new ArrayDeque<>();

	private final long epochToNano;

	private int gaps;

	/** Since when the reads know every thread's labels: the time of the last read forgotten. */
	private long knownSince = Long.MAX_VALUE;

	/**
	 * Creates an attribution with no reads yet.
	 */
	public LabelAttribution() {
		Instant now = Instant.now();
		long nano = System.nanoTime();
		this.epochToNano = nano - (now.getEpochSecond() * 1_000_000_000L + now.getNano());
	}

	/**
	 * Adds the next read of the label timelines.
	 * @param read the histories, by thread id, as {@link LabelTimelines#read()} returns them
	 */
	public void add(Map<Long, LabelTimelines.History> read) {
		for (LabelTimelines.History history : read.values()) {
			if (history.gap()) {
				this.gaps++;
			}
		}
		long now = System.nanoTime();
		if (this.reads.isEmpty()) {
			this.knownSince = now;
		}
		this.reads.addLast(new Read(now, read));
	}

	/**
	 * Forgets reads no longer needed for samples at or after {@code instant}: every read made
	 * before it except the last of those, which still knows the labels threads carried then.
	 * @param instant the earliest sample instant still to be attributed
	 */
	public void forgetBefore(Instant instant) {
		long nanoTime = toNanoTime(instant);
		while (this.reads.size() > 1) {
			Iterator<Read> it = this.reads.iterator();
			it.next();
			if (it.next().nanoTime() >= nanoTime) {
				return;
			}
			this.knownSince = this.reads.removeFirst().nanoTime();
		}
	}

	/**
	 * Returns whether the reads still know the labels threads carried at an instant: it is
	 * not before the oldest read kept (or the first read, for the labels then).
	 * @param at the instant
	 * @return whether {@link #labelsAt} answers for it
	 */
	public boolean knows(Instant at) {
		return toNanoTime(at) >= this.knownSince;
	}

	/**
	 * Returns the labels a thread carried at an instant.
	 * @param threadId the thread's id
	 * @param at the instant
	 * @param lexicalDepth how many lexical label scope frames the sample's stack holds
	 * ({@link LabelTimelines#isLexicalScopeFrame})
	 * @return the labels, empty when the thread was never seen with labels
	 */
	public LabelSet labelsAt(long threadId, Instant at, int lexicalDepth) {
		long nanoTime = toNanoTime(at);
		// the read that first saw a change after this instant knows the labels at it
		for (Read read : this.reads) {
			LabelTimelines.History history = read.histories().get(threadId);
			if (history != null && history.changes() > 0 && history.lastChange() >= nanoTime) {
				return history.labelsAt(nanoTime, lexicalDepth);
			}
		}
		for (Iterator<Read> it = this.reads.descendingIterator(); it.hasNext();) {
			LabelTimelines.History history = it.next().histories().get(threadId);
			if (history != null) {
				return history.labelsAt(nanoTime, lexicalDepth);
			}
		}
		return LabelSet.empty();
	}

	/**
	 * Returns how many thread histories had gaps (changes lost because a thread made more
	 * than its ring holds between two reads) since the last call, and starts counting anew.
	 * @return the count
	 */
	public int takeGaps() {
		int count = this.gaps;
		this.gaps = 0;
		return count;
	}

	/**
	 * Returns how many reads are kept.
	 * @return the count
	 */
	public int size() {
		return this.reads.size();
	}

	private long toNanoTime(Instant at) {
		return at.getEpochSecond() * 1_000_000_000L + at.getNano() + this.epochToNano;
	}

	private record Read(long nanoTime, Map<Long, LabelTimelines.History> histories) {
	}

}
