/**
 * What the sample's threads saw: a recorder of the labels each piece of work ran under, and
 * the {@code GET /labels} endpoint that shows live label activity.
 */
@NullMarked
package dev.diagkit.sample.observed;

import org.jspecify.annotations.NullMarked;
