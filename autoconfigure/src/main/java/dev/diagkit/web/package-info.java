/**
 * Request labelling for Spring MVC: every request runs under {@code method}, {@code tenant}
 * and {@code endpoint} (method plus route template) labels.
 */
@NullMarked
package dev.diagkit.web;

import org.jspecify.annotations.NullMarked;
