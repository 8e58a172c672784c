package dev.diagkit.trace;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A tenant whose share of the CPU or of the lock wait is far above its share of the
 * requests: its requests cost more than the others', and it slows them.
 */
final class NoisyTenantDetector implements Detector {

	/** Fewer CPU samples than this say nothing about shares. */
	static final int MIN_SAMPLES = 50;

	/** Less lock wait than this says nothing about shares. */
	static final long MIN_WAIT_NANOS = 100_000_000;

	/** A tenant stands out with at least this share of a cost, and this many times its share of requests. */
	static final double MIN_SHARE = 0.25;

	static final double FACTOR = 2.0;

	/** Adds a cost to the tenant the thread worked for at that instant, if it worked for one. */
	private static void addForTenant(Map<String, Double> costs, RecordedTrace trace, long threadId, long at,
			double cost) {
		String tenant = trace.labels.at(threadId, at).get("tenant");
		if (tenant != null) {
			costs.merge(tenant, cost, Double::sum);
		}
	}

	private static double total(Map<String, Double> costs) {
		double total = 0;
		for (double cost : costs.values()) {
			total += cost;
		}
		return total;
	}

	@Override
	public List<Finding> detect(RecordedTrace trace) {
		Map<String, Integer> requests = new HashMap<>();
		int requestTotal = 0;
		for (RecordedTrace.Task task : trace.tasks) {
			String tenant = task.labels().get("tenant");
			if (task.parentId() == 0 && tenant != null) {
				requests.merge(tenant, 1, Integer::sum);
				requestTotal++;
			}
		}
		Map<String, Double> cpu = new HashMap<>();
		for (RecordedTrace.Sample sample : trace.samples) {
			addForTenant(cpu, trace, sample.threadId(), sample.at(), 1);
		}
		double cpuTotal = total(cpu);
		Map<String, Double> wait = new HashMap<>();
		for (RecordedTrace.Wait w : trace.waits) {
			addForTenant(wait, trace, w.threadId(), w.start(), w.duration());
		}
		double waitTotal = total(wait);
		TreeSet<String> tenants = new TreeSet<>(requests.keySet());
		tenants.addAll(cpu.keySet());
		tenants.addAll(wait.keySet());
		if (tenants.size() < 2 || requestTotal == 0) {
			return List.of();
		}
		List<Map<String, Object>> table = new ArrayList<>();
		for (String tenant : tenants) {
			Map<String, Object> row = new LinkedHashMap<>();
			row.put("tenant", tenant);
			row.put("requests", requests.getOrDefault(tenant, 0));
			row.put("requestShare", LabelShares.round(requests.getOrDefault(tenant, 0) / (double) requestTotal));
			row.put("cpuSamples", cpu.getOrDefault(tenant, 0.0).longValue());
			row.put("cpuShare", LabelShares.round((cpuTotal > 0) ? cpu.getOrDefault(tenant, 0.0) / cpuTotal : 0));
			row.put("lockWaitMs", Detector.ms(wait.getOrDefault(tenant, 0.0).longValue()));
			row.put("lockWaitShare", LabelShares.round((waitTotal > 0) ? wait.getOrDefault(tenant, 0.0) / waitTotal : 0));
			table.add(row);
		}
		List<Finding> findings = new ArrayList<>();
		for (String tenant : tenants) {
			double requestShare = requests.getOrDefault(tenant, 0) / (double) requestTotal;
			double cpuShare = (cpuTotal >= MIN_SAMPLES) ? cpu.getOrDefault(tenant, 0.0) / cpuTotal : 0;
			double waitShare = (waitTotal >= MIN_WAIT_NANOS) ? wait.getOrDefault(tenant, 0.0) / waitTotal : 0;
			boolean cpuHeavy = cpuShare >= MIN_SHARE && cpuShare >= FACTOR * requestShare;
			boolean waitHeavy = waitShare >= MIN_SHARE && waitShare >= FACTOR * requestShare;
			if (!cpuHeavy && !waitHeavy) {
				continue;
			}
			String what = cpuHeavy ? Detector.percent(cpuShare) + " of the CPU" : "";
			if (waitHeavy) {
				what += (what.isEmpty() ? "" : " and ") + Detector.percent(waitShare) + " of the lock wait";
			}
			double ratio = Math.max(cpuShare, waitShare) / Math.max(requestShare, 0.001);
			Map<String, Object> evidence = new LinkedHashMap<>();
			evidence.put("tenant", tenant);
			evidence.put("requestShare", LabelShares.round(requestShare));
			evidence.put("cpuShare", LabelShares.round(cpuShare));
			evidence.put("lockWaitShare", LabelShares.round(waitShare));
			evidence.put("cpuSamples", (long) cpuTotal);
			evidence.put("tenants", table);
			String summary = "tenant=" + tenant + " made " + Detector.percent(requestShare) + " of the requests but "
					+ what + ".";
			findings.add(new Finding("noisy-tenant", "One tenant costs far more than its share of requests",
					Finding.Severity.WARNING, (int) Math.min(100, 30 + 10 * ratio), summary, evidence,
					"See where this tenant's time goes: /actuator/diag/profile?focus=tenant=" + tenant
							+ " (or the continuous profiles for a longer range). Rate-limit or isolate its work if it is "
							+ "expected, or fix the endpoint its requests hit hardest."));
		}
		return findings;
	}

}
