package dev.diagkit.sample;

import java.time.Duration;

import dev.diagkit.sample.observed.LabelActivity;
import dev.diagkit.sample.observed.LabelObservations;
import dev.diagkit.sample.orders.CheckoutConfirmation;
import dev.diagkit.sample.orders.OrderView;
import dev.diagkit.sample.orders.TenantWorkload;
import dev.diagkit.sample.traffic.DemoTrafficGenerator;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a user of the sample sees over HTTP, and what its background work ran under.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sample.traffic.enabled=false", "management.server.port=0" })
class SampleApplicationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@LocalServerPort
	private int port;

	@LocalManagementPort
	private int managementPort;

	@Autowired
	private LabelObservations observations;

	@Autowired
	private ApplicationContext context;

	private RestClient client;

	private RestClient management;

	@BeforeEach
	void createClient() {
		this.client = RestClient.create("http://127.0.0.1:" + this.port);
		this.management = RestClient.create("http://127.0.0.1:" + this.managementPort);
	}

	@Test
	void orderResponseShowsTheLabelsOfTheControllerThread() {
		OrderView order = getOrder("42", "acme");
		assertThat(order.id()).isEqualTo("42");
		assertThat(order.tenant()).isEqualTo("acme");
		assertThat(order.labels()).containsEntry("tenant", "acme")
			.containsEntry("method", "GET")
			.containsEntry("endpoint", "GET /orders/{id}")
			.containsEntry("env", "demo")
			.containsEntry("region", "local");
	}

	@Test
	void requestWithoutTenantHasNoTenantLabel() {
		OrderView order = getOrder("7", null);
		assertThat(order.tenant()).isNull();
		assertThat(order.labels()).doesNotContainKey("tenant").containsEntry("endpoint", "GET /orders/{id}");
	}

	@Test
	void acmeOrdersDoThreeTimesTheWorkOfGlobexOrders() {
		// counted in work units, not timed: CPU time on a shared machine is too noisy to assert on
		TenantWorkload workload = this.context.getBean(TenantWorkload.class);
		assertThat(workload.weightOf("acme")).isEqualTo(3 * workload.weightOf("globex"));
		assertThat(workload.weightOf(null)).isEqualTo(1);
		assertThat(getOrder("weighted", "acme").cpuMillis()).isPositive();
	}

	@Test
	void checkoutLabelsFollowTheReceiptAndTheFulfilmentJob() {
		CheckoutConfirmation checkout = this.client.post()
			.uri("/checkout")
			.header("X-Tenant-ID", "globex")
			.retrieve()
			.body(CheckoutConfirmation.class);
		assertThat(checkout).isNotNull();
		assertThat(checkout.fulfilmentQueued()).isTrue();
		assertThat(checkout.labels()).containsEntry("tenant", "globex").containsEntry("endpoint", "POST /checkout");
		await().atMost(WAIT).untilAsserted(() -> assertThat(this.observations.recent(LabelObservations.RECEIPT))
			.anySatisfy((seen) -> {
				assertThat(seen.subject()).isEqualTo(checkout.orderId());
				assertThat(seen.thread()).startsWith("task-");
				assertThat(seen.labels()).isEqualTo(checkout.labels());
			}));
		await().atMost(WAIT).untilAsserted(() -> assertThat(this.observations.recent(LabelObservations.FULFILMENT))
			.anySatisfy((seen) -> {
				assertThat(seen.subject()).isEqualTo(checkout.orderId());
				assertThat(seen.thread()).isEqualTo("fulfilment");
				assertThat(seen.labels()).isEqualTo(checkout.labels());
			}));
	}

	@Test
	void scheduledJobRunsUnderItsJobLabel() {
		await().atMost(WAIT).untilAsserted(() -> assertThat(this.observations.recent(LabelObservations.INVENTORY))
			.anySatisfy((seen) -> {
				assertThat(seen.subject()).isEqualTo("acme");
				assertThat(seen.thread()).startsWith("scheduling-");
				assertThat(seen.labels()).containsEntry("job", "inventoryReconciler.reconcile")
					.containsEntry("tenant", "acme")
					.containsEntry("env", "demo")
					.doesNotContainKey("endpoint");
			}));
	}

	@Test
	void labelsEndpointShowsLiveLabelActivity() {
		getOrder("1", "initech");
		LabelActivity activity = this.client.get().uri("/labels").retrieve().body(LabelActivity.class);
		assertThat(activity).isNotNull();
		// the thread answering this request is labelled while it builds the answer
		assertThat(activity.activeCounts()).containsKey("endpoint");
		assertThat(activity.activeCounts().get("endpoint")).containsKey("GET /labels");
		assertThat(activity.threads()).anySatisfy((thread) -> {
			assertThat(thread.labels()).containsEntry("endpoint", "GET /labels").containsEntry("env", "demo");
			assertThat(thread.since()).isNotNull();
		});
		assertThat(activity.overflowCounts()).isEmpty();
		assertThat(activity.lastObserved()).containsKey(LabelObservations.REQUEST);
	}

	@Test
	void diagEndpointAnswersLoopbackCallersWithoutSpringSecurity() {
		String index = this.management.get().uri("/actuator/diag").retrieve().body(String.class);
		assertThat(index).contains("\"section\":\"stacks\"", "\"section\":\"trace\"");
		String stacks = this.management.get().uri("/actuator/diag/stacks?format=text").retrieve().body(String.class);
		assertThat(stacks).contains("threads @", "\"fulfilment\"", "LabeledJobConsumer.consume").doesNotContain("truncated");
		String metrics = this.management.get().uri("/actuator/diag/metrics").retrieve().body(String.class);
		assertThat(metrics).contains("jvm.memory.heap.used ", " bytes");
	}

	@Test
	void capacityAndPrometheusShowTheRuntimeBudgetsAndMeters() {
		this.client.post().uri("/checkout").header("X-Tenant-ID", "acme").retrieve().toBodilessEntity();
		String capacity = this.management.get().uri("/actuator/diag/capacity?format=text").retrieve().body(String.class);
		assertThat(capacity).startsWith("capacity over 1h").contains("cpu ", "memory ", "threads ", "latency ", "gc ");
		await().atMost(WAIT).untilAsserted(() -> {
			String scrape = this.management.get().uri("/actuator/prometheus").retrieve().body(String.class);
			assertThat(scrape).contains("diagkit_executor_queue_wait_seconds_bucket{name=\"applicationTaskExecutor\"",
					"diagkit_process_memory_rss_bytes", "diagkit_safepoint_seconds_count");
		});
	}

	@Test
	void theActuatorIsOnItsOwnPortNotTheApplications() {
		assertThat(this.managementPort).isNotEqualTo(this.port);
		int status = this.client.get()
			.uri("/actuator/diag")
			.exchange((request, response) -> response.getStatusCode().value());
		assertThat(status).isEqualTo(404);
	}

	@Test
	void demoTrafficIsOffWhenDisabled() {
		assertThat(this.context.getBeanProvider(DemoTrafficGenerator.class).getIfAvailable()).isNull();
	}

	private OrderView getOrder(String id, @Nullable String tenant) {
		RestClient.RequestHeadersSpec<?> request = this.client.get().uri("/orders/{id}", id);
		if (tenant != null) {
			request.header("X-Tenant-ID", tenant);
		}
		OrderView order = request.retrieve().body(OrderView.class);
		assertThat(order).isNotNull();
		return order;
	}

}
