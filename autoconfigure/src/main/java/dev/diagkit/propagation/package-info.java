/**
 * Carries profiling labels from the thread that submits work to the thread that runs it: a
 * {@code TaskDecorator}, labelled scheduled jobs, {@link dev.diagkit.propagation.LabeledJob}
 * for queue hand-off, and a context-propagation accessor. Plain Java plus Spring's
 * {@code TaskDecorator} and scheduling observation; the wiring into Spring's container lives
 * in {@code dev.diagkit.autoconfigure}.
 */
@NullMarked
package dev.diagkit.propagation;

import org.jspecify.annotations.NullMarked;
