/**
 * Continuous profiling: {@link dev.diagkit.export.ContinuousProfiler} turns every period of
 * the process's life into one label-aware profile per type ({@link ProfileWindow}) and hands
 * it to the {@link ProfileSink sinks}: the local profile store (retention, compaction, range
 * queries) and Pyroscope (retry, spool). Plain Java on the profiling package.
 */
@NullMarked
package dev.diagkit.export;

import org.jspecify.annotations.NullMarked;
