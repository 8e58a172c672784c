package dev.diagkit.sample.orders;

import dev.diagkit.sample.observed.LabelObservations;
import dev.diagkit.trace.DiagTrace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Component;

/**
 * Sends order receipts on Spring Boot's {@code applicationTaskExecutor}. diagkit's task
 * decorator runs each send under the labels of the request that asked for it.
 */
@Component
public class ReceiptSender {

	private static final int RECEIPT_UNITS = 1;

	private static final Logger logger = LoggerFactory.getLogger(ReceiptSender.class);

	private final TenantWorkload workload;

	private final LabelObservations observations;

	/**
	 * Creates the sender.
	 * @param workload the CPU cost of rendering a receipt
	 * @param observations records what the sending thread ran under
	 */
	public ReceiptSender(TenantWorkload workload, LabelObservations observations) {
		this.workload = workload;
		this.observations = observations;
	}

	/**
	 * Renders and sends the receipt of an order, in the background.
	 * @param orderId the order
	 */
	@Async
	public void send(String orderId) {
		DiagTrace.region("receipt", () -> this.workload.burn(orderId, RECEIPT_UNITS));
		LabelObservations.Observation seen = this.observations.record(LabelObservations.RECEIPT, orderId);
		logger.info("Sent receipt for order {} under labels {}", orderId, seen.labels());
	}

}
