package dev.diagkit.sample.orders;

import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

import dev.diagkit.labels.ProfilingLabels;
import dev.diagkit.propagation.LabeledJob;
import dev.diagkit.sample.observed.LabelObservations;
import dev.diagkit.trace.DiagTrace;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Orders and checkout. The CPU each request costs depends on its tenant; each response
 * shows the labels diagkit put on the controller thread. A checkout sends a receipt
 * ({@code @Async}) and queues a fulfilment job ({@link LabeledJob}); both run under the
 * checkout's labels.
 */
@RestController
public class OrdersController {

	/** The header the sample reads its tenant from (diagkit reads the same one). */
	public static final String TENANT_HEADER = "X-Tenant-ID";

	private static final int ORDER_UNITS = 1;

	private static final int CHECKOUT_UNITS = 2;

	private static final Logger logger = LoggerFactory.getLogger(OrdersController.class);

	private final AtomicLong orderNumbers = new AtomicLong(1000);

	private final TenantWorkload workload;

	private final ReceiptSender receipts;

	private final OrderFulfilment fulfilment;

	private final BlockingQueue<LabeledJob> fulfilmentQueue;

	private final LabelObservations observations;

	/**
	 * Creates the controller.
	 * @param workload the CPU cost of the work
	 * @param receipts sends receipts in the background
	 * @param fulfilment packs orders
	 * @param fulfilmentQueue the queue fulfilment jobs wait in
	 * @param observations records what the controller thread ran under
	 */
	public OrdersController(TenantWorkload workload, ReceiptSender receipts, OrderFulfilment fulfilment,
			BlockingQueue<LabeledJob> fulfilmentQueue, LabelObservations observations) {
		this.workload = workload;
		this.receipts = receipts;
		this.fulfilment = fulfilment;
		this.fulfilmentQueue = fulfilmentQueue;
		this.observations = observations;
	}

	/**
	 * Returns an order.
	 * @param id the order id
	 * @param tenant the tenant, if the request names one
	 * @return the order
	 */
	@GetMapping("/orders/{id}")
	public OrderView order(@PathVariable String id,
			@RequestHeader(name = TENANT_HEADER, required = false) @Nullable String tenant) {
		// a region of the request's trace task: /actuator/diag/analysis tells time inside it from time outside
		TenantWorkload.Result work = DiagTrace.region("load-order", () -> this.workload.perform(tenant, id, ORDER_UNITS));
		// what diagkit put on this thread: static labels, method, tenant and endpoint
		Map<String, String> labels = ProfilingLabels.current().asMap();
		this.observations.record(LabelObservations.REQUEST, id);
		return new OrderView(id, tenant, work.checksum(), work.cpuMillis(), labels);
	}

	/**
	 * Places an order, sends its receipt in the background and queues its fulfilment.
	 * @param tenant the tenant, if the request names one
	 * @return the confirmation
	 */
	@PostMapping("/checkout")
	public CheckoutConfirmation checkout(
			@RequestHeader(name = TENANT_HEADER, required = false) @Nullable String tenant) {
		String orderId = "ord-" + this.orderNumbers.incrementAndGet();
		TenantWorkload.Result work = DiagTrace.region("price",
				() -> this.workload.perform(tenant, orderId, CHECKOUT_UNITS));
		Map<String, String> labels = ProfilingLabels.current().asMap();
		this.observations.record(LabelObservations.REQUEST, orderId);
		// sent on an @Async thread, which works for this request's trace task too
		this.receipts.send(orderId);
		// labels do not travel through a queue by themselves: capture them with the job
		boolean queued = this.fulfilmentQueue.offer(LabeledJob.capture(() -> this.fulfilment.pack(orderId, tenant)));
		if (!queued) {
			logger.warn("Fulfilment queue is full; order {} will not be packed", orderId);
		}
		return new CheckoutConfirmation(orderId, tenant, work.checksum(), work.cpuMillis(), queued, labels);
	}

}
