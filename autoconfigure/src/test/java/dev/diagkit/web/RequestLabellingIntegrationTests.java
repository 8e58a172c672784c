package dev.diagkit.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.diagkit.labels.LabelRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;

@SpringBootTest(classes = LabelledTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "diagkit.labels.static-labels.env=test", "diagkit.labels.static-labels.region=local" })
@DirtiesContext
class RequestLabellingIntegrationTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	/** Request threads and the workers of every executor the application uses. */
	private static final List<String> APP_THREADS = List.of("http-nio-", "task-", "hand-built-", "plain-pool");

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@LocalServerPort
	private int port;

	@Autowired
	private LabelRegistry registry;

	@Autowired
	private LabelledTestApplication.Jobs jobs;

	@Test
	void controllerAndEveryExecutorSeeTheRequestLabels() throws Exception {
		Map<String, Object> body = get("/orders/42", "acme", 200);
		Map<String, String> expected = Map.of("endpoint", "GET /orders/{id}", "method", "GET", "tenant", "acme", "env",
				"test", "region", "local");
		assertThat(body.get("controller")).isEqualTo(expected);
		assertThat(body.get("async")).as("@Async on Boot's executor").isEqualTo(expected);
		assertThat(body.get("handBuilt")).as("hand-built ThreadPoolTaskExecutor").isEqualTo(expected);
		assertThat(body.get("plain")).as("plain ExecutorService bean").isEqualTo(expected);
	}

	@Test
	void requestWithoutTenantHasNoTenantLabel() throws Exception {
		Map<String, Object> body = get("/orders/7", null, 200);
		assertThat(asMap(body.get("controller"))).doesNotContainKey("tenant").containsEntry("method", "GET");
	}

	@Test
	void asyncRequestRunsLabelledOnTheAsyncExecutor() throws Exception {
		assertThat(get("/callable", "initech", 200)).contains(entry("tenant", "initech"),
				entry("endpoint", "GET /callable"));
	}

	@Test
	void errorPageRunsUnderTheEndpointThatFailed() throws Exception {
		assertThat(get("/boom", "acme", 500)).contains(entry("endpoint", "GET /boom"), entry("tenant", "acme"));
	}

	@Test
	void errorPageOfAFailedPostKeepsItsMethodAndTheTenantFoundAfterAuthentication() throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/boom"))
			.header("X-Principal-Tenant", "late-acme")
			.POST(HttpRequest.BodyPublishers.noBody())
			.build();
		HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(500);
		assertThat(json.readValue(response.body(), Map.class)).contains(entry("endpoint", "POST /boom"),
				entry("method", "POST"), entry("tenant", "late-acme"));
	}

	@Test
	void aServerThreadThatInheritedLabelsServesRequestsUnderExactlyTheirs() throws Exception {
		RequestLabelsFilter filter = new RequestLabelsFilter(new RequestLabeler(new HeaderTenantResolver("X-Tenant-ID"),
				dev.diagkit.labels.LabelPolicy.defaults(), dev.diagkit.labels.LabelSet.empty(), null));
		java.util.concurrent.CompletableFuture<String[]> seen = new java.util.concurrent.CompletableFuture<>();
		dev.diagkit.labels.ProfilingLabels.run(dev.diagkit.labels.LabelSet.of("job", "receipt-sender", "tenant", "globex"),
				() -> new Thread(() -> {
					try {
						org.springframework.mock.web.MockHttpServletRequest get = new org.springframework.mock.web.MockHttpServletRequest(
								"GET", "/labels");
						String[] during = new String[1];
						filter.doFilter(get, new org.springframework.mock.web.MockHttpServletResponse(),
								(req, res) -> during[0] = dev.diagkit.labels.ProfilingLabels.current().toString());
						seen.complete(new String[] { during[0], dev.diagkit.labels.ProfilingLabels.current().toString() });
					}
					catch (Exception ex) {
						seen.completeExceptionally(ex);
					}
				}).start());
		String[] labels = seen.get(10, TimeUnit.SECONDS);
		assertThat(labels[0]).as("during the request").isEqualTo("{method=GET}");
		assertThat(labels[1]).as("after it").isEqualTo("{}");
	}

	@Test
	void unmatchedRequestIsLabelledUnmatched() throws Exception {
		assertThat(get("/no/such/route", "acme", 404)).contains(entry("endpoint", "GET UNMATCHED"),
				entry("tenant", "acme"));
	}

	@Test
	void scheduledJobRunsUnderItsJobLabel() throws Exception {
		await().atMost(Duration.ofSeconds(10)).until(() -> !this.jobs.seen.isEmpty());
		// the bean name Spring gives the nested @Component, then the method
		assertThat(this.jobs.seen.get(0)).containsEntry("job", "labelledTestApplication.Jobs.sweep")
			.containsEntry("env", "test")
			.doesNotContainKey("tenant");
	}

	@Test
	void hundredConcurrentRequestsForFiveTenantsNeverSeeEachOthersLabels() throws Exception {
		String[] tenants = { "acme", "globex", "initech", "umbrella", "hooli" };
		ExecutorService clients = Executors.newFixedThreadPool(20);
		try {
			List<Future<Boolean>> results = new ArrayList<>();
			for (int i = 0; i < 100; i++) {
				String tenant = tenants[i % tenants.length];
				int id = i;
				results.add(clients.submit(() -> {
					Map<String, Object> body = get("/orders/" + id, tenant, 200);
					for (String place : List.of("controller", "async", "handBuilt", "plain")) {
						assertThat(asMap(body.get(place))).as(place + " of request " + id)
							.containsEntry("tenant", tenant);
					}
					return true;
				}));
			}
			for (Future<Boolean> result : results) {
				assertThat(result.get(30, TimeUnit.SECONDS)).isTrue();
			}
		}
		finally {
			clients.shutdownNow();
		}
		assertNoRequestOrWorkerThreadKeepsLabels();
	}

	private void assertNoRequestOrWorkerThreadKeepsLabels() {
		// the response can reach the client a moment before the filter's finally block runs
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.registry.threads()
				.stream()
				.filter((t) -> APP_THREADS.stream().anyMatch(t.threadName()::startsWith))
				.toList()).as("threads still labelled after all requests ended").isEmpty());
	}

	@SuppressWarnings("unchecked")
	private static Map<String, String> asMap(Object value) {
		return (Map<String, String>) value;
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> get(String path, String tenant, int expectedStatus) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(10));
		if (tenant != null) {
			request.header("X-Tenant-ID", tenant);
		}
		HttpResponse<String> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(expectedStatus);
		return json.readValue(response.body(), Map.class);
	}

}
