/**
 * The diagkit sample application: a multi-tenant orders service.
 */
@NullMarked
package dev.diagkit.sample;

import org.jspecify.annotations.NullMarked;
