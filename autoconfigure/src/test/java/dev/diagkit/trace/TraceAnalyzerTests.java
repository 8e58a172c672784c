package dev.diagkit.trace;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.diagkit.runtime.QueueWaitRecorder;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each pattern the analysis looks for, provoked by a real workload under a real trace,
 * yields its finding with the right evidence and labels; a calm workload yields none.
 */
class TraceAnalyzerTests {

	@Test
	void aMonitorThatThreadsQueueOnIsAFindingWithWhoWaits() throws Exception {
		TraceScenarios.Ledger ledger = new TraceScenarios.Ledger();
		Runnable checkout = TraceScenarios.request("acme", "POST /checkout", ledger::post);
		Runnable browse = TraceScenarios.request("globex", "GET /catalog", () -> TraceScenarios.burn(2));
		TraceReport report = TraceScenarios.analyse(Duration.ofSeconds(3),
				List.of(checkout, checkout, checkout, checkout, browse));
		Finding finding = only(report, "lock-contention");
		assertThat(finding.severity()).isIn(Finding.Severity.WARNING, Finding.Severity.CRITICAL);
		assertThat(finding.evidence()).containsEntry("kind", "monitor")
			.containsEntry("lockClass", TraceScenarios.Ledger.class.getName());
		assertThat((int) finding.evidence().get("threads")).isEqualTo(4);
		assertThat((double) finding.evidence().get("totalWaitMs")).isGreaterThan(1000);
		assertThat(finding.summary()).contains("tenant=acme, endpoint=POST /checkout");
		@SuppressWarnings("unchecked")
		Map<String, List<Map<String, Object>>> labels = (Map<String, List<Map<String, Object>>>) finding.evidence()
			.get("labels");
		assertThat(labels.get("tenant").get(0)).containsEntry("value", "acme");
		assertThat((double) labels.get("tenant").get(0).get("share")).isGreaterThan(0.95);
		@SuppressWarnings("unchecked")
		List<String> frames = (List<String>) finding.evidence().get("frames");
		assertThat(frames).anyMatch((frame) -> frame.contains("Ledger.post"));
		assertThat(report.findings()).noneMatch((f) -> f.id().equals("unaccounted-time"));
	}

	@Test
	void taskTimeOutsideAnyRegionIsAFindingNamingTheTask() throws Exception {
		Runnable uninstrumented = TraceScenarios.request("acme", "GET /report", () -> {
			DiagTrace.region("query", () -> TraceScenarios.sleep(3));
			TraceScenarios.sleep(30);
		});
		Runnable covered = TraceScenarios.request("acme", "GET /covered", () -> {
			DiagTrace.region("load", () -> TraceScenarios.sleep(15));
			DiagTrace.region("render", () -> TraceScenarios.sleep(15));
		});
		TraceReport report = TraceScenarios.analyse(Duration.ofSeconds(2), List.of(uninstrumented, covered));
		Finding finding = only(report, "unaccounted-time");
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> tasks = (List<Map<String, Object>>) finding.evidence().get("tasks");
		assertThat(tasks).hasSize(1);
		assertThat(tasks.get(0)).containsEntry("name", "GET /report");
		assertThat((double) tasks.get(0).get("meanUnaccounted")).isBetween(0.8, 0.95);
		// what the time outside regions went to: the uninstrumented sleep
		assertThat(finding.summary()).contains("GET /report", "blocked in ThreadSleep for ");
		@SuppressWarnings("unchecked")
		Map<String, Object> outside = (Map<String, Object>) tasks.get(0).get("outsideRegions");
		assertThat(outside.get("blockedMs").toString()).startsWith("{ThreadSleep=");
		assertThat(report.tasks()).containsKeys("GET /report", "GET /covered");
	}

	@Test
	void aTenantCostingFarMoreThanItsShareOfRequestsIsAFinding() throws Exception {
		// acme sends one request for every nine of the others', each costing 40 times the CPU
		Runnable acme = TraceScenarios.request("acme", "POST /export", () -> {
			TraceScenarios.burn(40);
			TraceScenarios.sleep(9);
		});
		Runnable globex = TraceScenarios.request("globex", "GET /item", () -> {
			TraceScenarios.burn(1);
			TraceScenarios.sleep(1);
		});
		Runnable initech = TraceScenarios.request("initech", "GET /item", () -> {
			TraceScenarios.burn(1);
			TraceScenarios.sleep(1);
		});
		TraceReport report = TraceScenarios.analyse(Duration.ofSeconds(3), List.of(acme, globex, initech));
		Finding finding = only(report, "noisy-tenant");
		assertThat(finding.evidence()).containsEntry("tenant", "acme");
		assertThat((double) finding.evidence().get("cpuShare")).isGreaterThan(0.5);
		assertThat((double) finding.evidence().get("requestShare")).isLessThan(0.15);
		assertThat(finding.summary()).startsWith("tenant=acme made ");
	}

	@Test
	void aPoolWhoseWorkersBlockWhileItsQueueWaitsIsAFinding() throws Exception {
		QueueWaitRecorder queueWaits = new QueueWaitRecorder();
		QueueWaitEvents.observe(queueWaits);
		ExecutorService small = Executors.newFixedThreadPool(2);
		ExecutorService ample = Executors.newFixedThreadPool(16);
		try {
			// 10 blocking calls of 40 ms a tick for 2 workers: the queue grows
			Runnable starving = () -> {
				for (int i = 0; i < 10; i++) {
					small.execute(queueWaits.wrap("reports-pool", () -> TraceScenarios.sleep(40)));
					ample.execute(queueWaits.wrap("ample-pool", () -> TraceScenarios.sleep(40)));
				}
				TraceScenarios.sleep(200);
			};
			TraceReport report = TraceScenarios.analyse(Duration.ofSeconds(3), List.of(starving));
			Finding finding = only(report, "starved-pool");
			assertThat(finding.evidence()).containsEntry("executor", "reports-pool").containsEntry("workers", 2);
			assertThat((double) finding.evidence().get("p90WaitMs")).isGreaterThan(100);
			assertThat((double) finding.evidence().get("workersBlockedShare")).isGreaterThan(0.8);
			assertThat(finding.evidence().get("blockedBy").toString()).startsWith("{ThreadSleep=");
			assertThat(finding.summary()).contains("reports-pool", "ThreadSleep");
		}
		finally {
			small.shutdownNow();
			ample.shutdownNow();
		}
	}

	@Test
	void aCalmWorkloadYieldsNoFindingOfDiagkits() throws Exception {
		Runnable calm = TraceScenarios.request("acme", "GET /calm", () -> {
			DiagTrace.region("work", () -> TraceScenarios.burn(1));
			DiagTrace.region("wait", () -> TraceScenarios.sleep(5));
		});
		Runnable other = TraceScenarios.request("globex", "GET /calm", () -> {
			DiagTrace.region("work", () -> TraceScenarios.burn(1));
			DiagTrace.region("wait", () -> TraceScenarios.sleep(5));
		});
		TraceReport report = TraceScenarios.analyse(Duration.ofSeconds(2), List.of(calm, other));
		assertThat(report.findings()).as(report.toText()).isEmpty();
		assertThat(report.counts().get("tasks")).isGreaterThan(100);
		assertThat(report.toText()).contains("No findings");
	}

	@Test
	void jdkMissionControlsRulesAddTheirResults() throws Exception {
		TraceScenarios.Ledger ledger = new TraceScenarios.Ledger();
		Runnable checkout = TraceScenarios.request("acme", "POST /checkout", ledger::post);
		TraceReport report = TraceScenarios.analyse(Duration.ofSeconds(2), List.of(checkout, checkout, checkout), true);
		assertThat(report.analysers()).containsExactly("diagkit", "jmc-rules");
		List<Finding> jmc = report.findings().stream().filter((f) -> f.id().startsWith("jmc.")).toList();
		assertThat(jmc).as(report.toText()).isNotEmpty().allSatisfy((finding) -> {
			assertThat(finding.score()).isBetween(0, 100);
			assertThat(finding.severity()).isIn(Finding.Severity.INFO, Finding.Severity.WARNING);
			// messages come with their placeholders filled in
			assertThat(finding.summary()).isNotBlank().doesNotContain("{");
			assertThat(finding.evidence()).containsKeys("rule", "topic");
		});
		// the contended monitor is JMC's Java Blocking finding as well as diagkit's
		assertThat(jmc).anyMatch((finding) -> finding.id().equals("jmc.JavaBlocking"));
		assertThat(report.findings()).anyMatch((finding) -> finding.id().equals("lock-contention"));
	}

	private static Finding only(TraceReport report, String id) {
		List<Finding> found = report.findings().stream().filter((f) -> f.id().equals(id)).toList();
		assertThat(found).as(report.toText()).hasSize(1);
		return found.get(0);
	}

}
