/**
 * Profiling: the sampling knobs shared by JFR captures (CPU sampling interval, allocation
 * sampling rate, lock-contention threshold), the counterpart of Go's
 * {@code SetCPUProfileRate}, {@code MemProfileRate}, {@code SetMutexProfileFraction} and
 * {@code SetBlockProfileRate}.
 */
@NullMarked
package dev.diagkit.profiling;

import org.jspecify.annotations.NullMarked;
