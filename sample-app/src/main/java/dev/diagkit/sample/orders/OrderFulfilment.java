package dev.diagkit.sample.orders;

import dev.diagkit.sample.observed.LabelObservations;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Packs orders. Runs on the fulfilment queue's consumer thread, under the labels each job
 * captured at checkout.
 */
@Component
public class OrderFulfilment {

	private static final int PACKING_UNITS = 1;

	private static final Logger logger = LoggerFactory.getLogger(OrderFulfilment.class);

	private final TenantWorkload workload;

	private final LabelObservations observations;

	/**
	 * Creates the fulfilment.
	 * @param workload the CPU cost of packing
	 * @param observations records what the packing thread ran under
	 */
	public OrderFulfilment(TenantWorkload workload, LabelObservations observations) {
		this.workload = workload;
		this.observations = observations;
	}

	/**
	 * Packs an order.
	 * @param orderId the order
	 * @param tenant the tenant it belongs to, or {@code null}
	 */
	public void pack(String orderId, @Nullable String tenant) {
		this.workload.perform(tenant, orderId, PACKING_UNITS);
		LabelObservations.Observation seen = this.observations.record(LabelObservations.FULFILMENT, orderId);
		logger.debug("Packed order {} under labels {}", orderId, seen.labels());
	}

}
