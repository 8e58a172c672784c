/**
 * Micrometer meter binders for what Micrometer and Spring Boot do not already publish:
 * process CPU split into garbage collection, JIT compilation, other JVM work and the
 * application; run-queue wait; resident set, cgroup memory and pressure stall information;
 * native memory by category; executor queue wait; safepoints; the virtual-thread scheduler;
 * and how many threads run under each label value. Binders only: the sources they read live
 * in {@link dev.diagkit.runtime}.
 */
@NullMarked
package dev.diagkit.metrics;

import org.jspecify.annotations.NullMarked;
