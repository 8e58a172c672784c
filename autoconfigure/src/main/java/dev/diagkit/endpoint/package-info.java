/**
 * The {@code /actuator/diag} endpoint: Go's {@code /debug/*} surface made safe for
 * production. One section per capability under {@code /actuator/diag/{section}}, every
 * parameter validated, captures limited in duration, concurrency and rate.
 */
@NullMarked
package dev.diagkit.endpoint;

import org.jspecify.annotations.NullMarked;
