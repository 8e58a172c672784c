package dev.diagkit.labels;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * What one live thread carries at the moment of a {@link LabelRegistry} snapshot.
 *
 * @param threadId the thread's id
 * @param threadName the thread's name
 * @param virtual whether it is a virtual thread
 * @param labels its labels
 * @param since when it got them, or {@code null} if that is unknown (no registry was
 * open then)
 * @param replacedAt when they were set by {@link ProfilingLabels#replace}, or {@code null}
 * if they were not
 * @param inherited whether they were copied from the thread that started it
 * @param stale whether they were set by {@code replace} longer ago than the registry's
 * stale age and the scope is still open
 */
public record ThreadLabels(long threadId, String threadName, boolean virtual, LabelSet labels, @Nullable Instant since,
		@Nullable Instant replacedAt, boolean inherited, boolean stale) {
}
