/**
 * Orders and checkout: the endpoints, the per-tenant CPU cost, and the background work a
 * checkout starts (an {@code @Async} receipt, a queued fulfilment job, a scheduled
 * inventory reconciliation).
 */
@NullMarked
package dev.diagkit.sample.orders;

import org.jspecify.annotations.NullMarked;
