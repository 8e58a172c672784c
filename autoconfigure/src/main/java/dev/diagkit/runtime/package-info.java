/**
 * What reads the running process and its kernel: the process's cgroup (v1, v2 or hybrid)
 * with its memory usage, limit and working set, pressure stall information (PSI) for memory,
 * CPU and IO, the resident set, native memory by category, per-thread CPU time and run-queue
 * wait by {@link dev.diagkit.runtime.ThreadClass}, garbage collection pauses and the heap
 * after them, the virtual-thread scheduler, and how long tasks wait in executors' queues.
 * Every file reader takes the root it reads from ({@code /proc}, {@code /sys/fs/cgroup}) so
 * that tests can point it at copies of real files, and answers "not known" (an empty value)
 * instead of throwing when a file is missing, unreadable or malformed. The meters, the
 * capacity report and the diag endpoint read these sources. Plain Java: no Micrometer, no
 * Spring.
 */
@NullMarked
package dev.diagkit.runtime;

import org.jspecify.annotations.NullMarked;
