/**
 * Spring Boot auto-configuration for diagkit: {@link dev.diagkit.autoconfigure.DiagkitProperties}
 * and one auto-configuration per capability.
 */
@NullMarked
package dev.diagkit.autoconfigure;

import org.jspecify.annotations.NullMarked;
