package dev.diagkit.sample.orders;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The body of {@code GET /orders/{id}}.
 *
 * @param id the order id
 * @param tenant the tenant that asked, or {@code null}
 * @param checksum the result of the order's (simulated) work
 * @param cpuMillis the CPU time that work took
 * @param labels the profiling labels the controller thread ran under
 */
public record OrderView(String id, @Nullable String tenant, String checksum, double cpuMillis,
		Map<String, String> labels) {
}
