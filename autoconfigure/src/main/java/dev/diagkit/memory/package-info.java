/**
 * Memory and pressure sources read from the kernel: pressure stall information (PSI), the
 * process's cgroup (v1, v2 or hybrid) with its memory usage, limit and working set, and the
 * process's resident set. Every reader takes the root it reads from ({@code /proc},
 * {@code /sys/fs/cgroup}) so that tests can point it at copies of real files, and answers
 * "not known" (an empty value) instead of throwing when a file is missing, unreadable or
 * malformed. Plain Java: usable without Spring.
 */
@NullMarked
package dev.diagkit.memory;

import org.jspecify.annotations.NullMarked;
