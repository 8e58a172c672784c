/**
 * Profiling labels: key/value pairs attached to the work a thread is doing, in the manner of
 * Go's {@code runtime/pprof} labels. {@link dev.diagkit.labels.ProfilingLabels} is the whole
 * API for code that labels work; {@link dev.diagkit.labels.LabelPolicy} guards labels that
 * come from outside; {@link dev.diagkit.labels.LabelRegistry} reports what every live thread
 * carries. Plain Java: usable without Spring.
 */
@NullMarked
package dev.diagkit.labels;

import org.jspecify.annotations.NullMarked;
