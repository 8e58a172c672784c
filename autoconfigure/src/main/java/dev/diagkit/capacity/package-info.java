/**
 * Capacity planning: a {@link dev.diagkit.capacity.CapacitySampler} keeps rolling
 * statistics of runtime inputs (GC share of CPU, working set, threads, queue waits, GC
 * pauses) over windows such as one hour and one day, in bounded memory, and turns them into
 * a {@link dev.diagkit.capacity.CapacityReport} of five budgets with verdicts and
 * recommendations.
 */
@NullMarked
package dev.diagkit.capacity;

import org.jspecify.annotations.NullMarked;
