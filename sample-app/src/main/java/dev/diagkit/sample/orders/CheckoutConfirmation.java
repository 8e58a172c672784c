package dev.diagkit.sample.orders;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /checkout}.
 *
 * @param orderId the id of the new order
 * @param tenant the tenant that checked out, or {@code null}
 * @param checksum the result of the checkout's (simulated) work
 * @param cpuMillis the CPU time that work took
 * @param fulfilmentQueued whether the fulfilment job found room in its queue
 * @param labels the profiling labels the controller thread ran under
 */
public record CheckoutConfirmation(String orderId, @Nullable String tenant, String checksum, double cpuMillis,
		boolean fulfilmentQueued, Map<String, String> labels) {
}
