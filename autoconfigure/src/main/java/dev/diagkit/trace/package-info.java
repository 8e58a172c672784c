/**
 * Execution traces: JFR recordings of a bounded duration, the counterpart of Go's
 * {@code runtime/trace}.
 */
@NullMarked
package dev.diagkit.trace;

import org.jspecify.annotations.NullMarked;
