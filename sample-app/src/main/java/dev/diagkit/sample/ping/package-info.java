/**
 * A constant endpoint for load runs that measure diagkit's per-request cost.
 */
@NullMarked
package dev.diagkit.sample.ping;

import org.jspecify.annotations.NullMarked;
