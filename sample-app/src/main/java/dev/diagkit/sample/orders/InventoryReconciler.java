package dev.diagkit.sample.orders;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.diagkit.labels.LabelSet;
import dev.diagkit.labels.ProfilingLabels;
import dev.diagkit.sample.observed.LabelObservations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Reconciles every tenant's inventory on a schedule. diagkit runs the job under
 * {@code job=inventoryReconciler.reconcile}; each tenant's part adds its {@code tenant}
 * label with {@link ProfilingLabels#run}.
 */
@Component
public class InventoryReconciler {

	private static final String TENANT = "tenant";

	private static final int RECONCILE_UNITS = 1;

	private static final Logger logger = LoggerFactory.getLogger(InventoryReconciler.class);

	private final TenantWorkload workload;

	private final LabelObservations observations;

	/** Built once: entering a scope with a pre-built label set allocates nothing. */
	private final Map<String, LabelSet> labelsByTenant = new LinkedHashMap<>();

	/**
	 * Creates the reconciler.
	 * @param workload the tenants and the CPU cost of reconciling
	 * @param observations records what the job's thread ran under
	 */
	public InventoryReconciler(TenantWorkload workload, LabelObservations observations) {
		this.workload = workload;
		this.observations = observations;
		workload.tenants().forEach((tenant) -> this.labelsByTenant.put(tenant, LabelSet.of(TENANT, tenant)));
	}

	/**
	 * Reconciles the inventory of every tenant.
	 */
	@Scheduled(fixedDelayString = "${sample.inventory.reconcile-interval:5s}")
	public void reconcile() {
		this.labelsByTenant.forEach((tenant, labels) -> ProfilingLabels.run(labels, () -> reconcile(tenant)));
		logger.info("Reconciled the inventory of {} tenants under labels {}", this.labelsByTenant.size(),
				ProfilingLabels.current());
	}

	private void reconcile(String tenant) {
		this.workload.perform(tenant, "inventory-" + tenant, RECONCILE_UNITS);
		this.observations.record(LabelObservations.INVENTORY, tenant);
	}

}
