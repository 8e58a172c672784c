/**
 * Demo traffic: a generator that sends requests for a few tenants to the sample's own port,
 * so there is label activity to look at without external tools.
 */
@NullMarked
package dev.diagkit.sample.traffic;

import org.jspecify.annotations.NullMarked;
