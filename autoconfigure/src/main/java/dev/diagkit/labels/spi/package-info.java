/**
 * Label scopes for diagkit's own integrations (servlet filter, handler interceptor,
 * scheduled-job observation, context propagation, queued jobs). Not part of the API: it may
 * change in any release. Application code uses {@link dev.diagkit.labels.ProfilingLabels}.
 */
@NullMarked
package dev.diagkit.labels.spi;

import org.jspecify.annotations.NullMarked;
