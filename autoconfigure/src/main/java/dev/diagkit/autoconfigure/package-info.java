/**
 * Spring Boot auto-configuration for diagkit: one {@code @ConfigurationProperties} class and
 * one auto-configuration per capability (labels, request labels, propagation, profiling,
 * metrics, capacity, endpoint, security), the conditions they share, and the Spring
 * container wiring (the executor post-processor, the scheduling configurer). The only package
 * that knows Spring Boot's auto-configuration API.
 */
@NullMarked
package dev.diagkit.autoconfigure;

import org.jspecify.annotations.NullMarked;
