/**
 * Carries profiling labels from the thread that submits work to the thread that runs it:
 * a {@code TaskDecorator}, executor wrapping for hand-built executors, labelled scheduled
 * jobs, {@link dev.diagkit.propagation.LabeledJob} for queue hand-off, and a
 * context-propagation accessor.
 */
@NullMarked
package dev.diagkit.propagation;

import org.jspecify.annotations.NullMarked;
