/**
 * Profiling: the profile model ({@link dev.diagkit.profiling.Profile}: CPU, allocation and
 * lock samples with the labels of their threads), its writers (pprof, collapsed stacks, a
 * self-contained HTML flame graph), and the sampling knobs shared by JFR captures (CPU
 * sampling interval, allocation sampling rate, lock-contention threshold), the counterpart of
 * Go's {@code SetCPUProfileRate}, {@code MemProfileRate}, {@code SetMutexProfileFraction} and
 * {@code SetBlockProfileRate}.
 */
@NullMarked
package dev.diagkit.profiling;

import org.jspecify.annotations.NullMarked;
