package dev.diagkit.endpoint;

import java.lang.ref.WeakReference;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.diagkit.labels.LabelSet;
import dev.diagkit.labels.ProfilingLabels;
import dev.diagkit.testing.Waiting;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code /actuator/diag/capacity} and the new meter families on {@code /actuator/prometheus},
 * over real HTTP with real Spring Security and Micrometer's Prometheus registry.
 */
@SpringBootTest(classes = DiagTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=diag,prometheus",
				"diagkit.metrics.refresh-interval=200ms", "diagkit.capacity.sample-interval=200ms" })
@DirtiesContext
class DiagCapacityAndPrometheusTests {

	@LocalServerPort
	private int port;

	@Autowired
	private AsyncTaskExecutor applicationTaskExecutor;

	@Test
	void capacityAnswersFiveBudgetsAsJsonAndText() throws Exception {
		DiagClient client = new DiagClient(this.port);
		Map<String, Object> body = await().atMost(Duration.ofSeconds(15)).until(() -> {
			HttpResponse<String> json = client.get("/actuator/diag/capacity", DiagClient.basic("reader"));
			assertThat(json.statusCode()).isEqualTo(200);
			return DiagClient.body(json);
		}, (json) -> ((Number) json.get("samples")).longValue() > 0);
		for (String budget : List.of("cpu", "memory", "threads", "latency", "gc")) {
			assertThat(body.get(budget)).asInstanceOf(InstanceOfAssertFactories.MAP)
				.containsKeys("verdict", "value", "threshold", "recommendation");
		}
		HttpResponse<String> text = client.get("/actuator/diag/capacity?format=text", DiagClient.basic("reader"));
		assertThat(text.statusCode()).isEqualTo(200);
		assertThat(text.headers().firstValue("Content-Type")).hasValueSatisfying((type) -> type.startsWith("text/plain"));
		assertThat(text.body()).startsWith("capacity over 1h").contains("cpu ", "memory ", "latency ");
		HttpResponse<String> bad = client.get("/actuator/diag/capacity?format=xml", DiagClient.basic("reader"));
		assertThat(bad.statusCode()).isEqualTo(400);
		assertThat(bad.body()).contains("format").contains("json").contains("text");
		assertThat(client.get("/actuator/diag/capacity").statusCode()).isEqualTo(401);
		assertThat(client.get("/actuator/diag/capacity", DiagClient.basic("user")).statusCode()).isEqualTo(403);
	}

	@Test
	void prometheusExposesTheNewFamiliesWithHistogramBuckets() throws Exception {
		CountDownLatch ran = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		ProfilingLabels.run(LabelSet.of("tenant", "acme"), () -> this.applicationTaskExecutor.execute(() -> {
			ran.countDown();
			Waiting.parkUntilReleased(release);
		}));
		try {
			assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
			DiagClient client = new DiagClient(this.port);
			String scrape = await().atMost(Duration.ofSeconds(15)).until(() -> {
				HttpResponse<String> response = client.get("/actuator/prometheus", DiagClient.basic("user"));
				assertThat(response.statusCode()).isEqualTo(200);
				return response.body();
			}, (body) -> body.contains("diagkit_labels_active_threads{key=\"tenant\",value=\"acme\"}"));
			assertThat(scrape).contains("diagkit_labels_active_threads{key=\"tenant\",value=\"acme\"} 1")
				.contains("diagkit_executor_queue_wait_seconds_bucket{name=\"applicationTaskExecutor\",le=\"0.001\"}")
				.contains("diagkit_executor_queue_wait_seconds_count{name=\"applicationTaskExecutor\"} 1")
				.contains("diagkit_process_memory_rss_bytes")
				.contains("diagkit_safepoint_seconds_count")
				// the name the alerting rules in docs/prometheus watch; a few samples are not evidence yet
				.contains("diagkit_capacity_verdict{budget=\"cpu\"} NaN")
				.contains("diagkit_capacity_verdict{budget=\"gc\"}")
				.contains("# HELP diagkit_executor_queue_wait_seconds Time tasks waited in the executor");
			// the registry holds gauges' objects weakly: after collections the readings must still be there
			WeakReference<Object> canary = new WeakReference<>(new Object());
			await().atMost(Duration.ofSeconds(30)).until(() -> {
				System.gc();
				return canary.get() == null;
			});
			String afterGc = client.get("/actuator/prometheus", DiagClient.basic("user")).body();
			assertThat(afterGc.lines().filter((line) -> line.startsWith("diagkit_process_memory_rss_bytes ")))
				.singleElement()
				.satisfies((line) -> assertThat(line).doesNotEndWith("NaN"));
			if (Files.isDirectory(Path.of("/proc/self/task"))) {
				assertThat(scrape).contains("diagkit_cpu_time_seconds_total{class=\"gc\"}")
					.contains("diagkit_cpu_gc_share_ratio")
					.contains("diagkit_threads_run_queue_wait_seconds_total{class=\"application\"}");
			}
		}
		finally {
			release.countDown();
		}
	}

}
