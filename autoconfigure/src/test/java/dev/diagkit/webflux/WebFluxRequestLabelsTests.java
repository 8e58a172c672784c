package dev.diagkit.webflux;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.diagkit.labels.LabelRegistry;
import dev.diagkit.profiling.Profile;
import dev.diagkit.profiling.ProfileRecorder;
import dev.diagkit.profiling.ProfileType;
import dev.diagkit.profiling.SamplingSettings;
import dev.diagkit.testing.TenantSplit;
import dev.diagkit.testing.Work;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * WebFlux requests run labelled on every thread their work reaches: 100 concurrent requests
 * of 5 tenants, each hopping through subscribeOn, publishOn, a delay and a WebClient call,
 * see only their own tenant at every hop, on a real Netty server behind Spring Security;
 * once they are done no thread keeps a tenant.
 */
class WebFluxRequestLabelsTests {

	private static final Logger logger = LoggerFactory.getLogger(WebFluxRequestLabelsTests.class);

	private static final List<String> TENANTS = List.of("acme", "globex", "initech", "umbrella", "hooli");

	private static ConfigurableApplicationContext context;

	private static int port;

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	@BeforeAll
	static void start() {
		SpringApplication application = new SpringApplication(WebFluxTestApplication.class);
		application.setWebApplicationType(WebApplicationType.REACTIVE);
		context = application.run("--server.port=0", "--spring.application.name=webflux-labels");
		port = ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	@AfterAll
	static void stop() {
		if (context != null) {
			context.close();
		}
	}

	@Test
	void concurrentRequestsSeeOnlyTheirOwnTenantAtEveryHop() {
		long started = System.nanoTime();
		List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			String tenant = TENANTS.get(i % TENANTS.size());
			responses.add(this.http.sendAsync(request("/hops/" + port, tenant), HttpResponse.BodyHandlers.ofString()));
		}
		for (int i = 0; i < responses.size(); i++) {
			String tenant = TENANTS.get(i % TENANTS.size());
			HttpResponse<String> response = responses.get(i).join();
			assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
			String[] parts = response.body().split("\\|");
			assertThat(parts[0].split(",")).as("tenant when called, after subscribeOn, publishOn, delay, WebClient")
				.containsOnly(tenant)
				.hasSize(5);
			assertThat(parts[1]).as("the WebClient's own request names no tenant").isEqualTo("null");
			assertThat(parts[2]).isEqualTo("GET /hops/{port}");
		}
		long answered = System.nanoTime();
		LabelRegistry registry = new LabelRegistry(Duration.ofMinutes(10));
		try {
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				Map<String, Integer> tenants = registry.activeCounts().getOrDefault("tenant", Map.of());
				assertThat(tenants).as("threads still labelled once the requests are done").isEmpty();
			});
			logger.info("100 requests answered in {} ms; no thread labelled {} ms later",
					(answered - started) / 1_000_000, (System.nanoTime() - answered) / 1_000_000);
		}
		finally {
			registry.close();
		}
	}

	@Test
	void aCpuProfileSplitsTheTenantsAsTheWorkTheyDidWithinFivePoints() throws Exception {
		AtomicBoolean running = new AtomicBoolean(true);
		AtomicInteger requests = new AtomicInteger();
		List<Thread> clients = new ArrayList<>();
		// acme asks for three units of work per request, globex for one: 75% and 25%
		for (String tenant : List.of("acme", "acme", "globex", "globex")) {
			clients.add(Work.loop("client-" + tenant, running, () -> {
				HttpResponse<String> response = this.http
					.sendAsync(request("/work/" + ("acme".equals(tenant) ? 30 : 10), tenant),
							HttpResponse.BodyHandlers.ofString())
					.join();
				assertThat(response.statusCode()).isEqualTo(200);
				requests.incrementAndGet();
			}));
		}
		try {
			await().atMost(Duration.ofSeconds(60)).until(() -> requests.get() >= 40);
			WebFluxTestApplication.units.clear();
			WebFluxTestApplication.counting.set(true);
			ProfileRecorder recorder = new ProfileRecorder(new SamplingSettings(
					new SamplingSettings.Values(Duration.ofMillis(10), 500, Duration.ofMillis(1))));
			Profile profile = recorder.record(ProfileType.CPU, Duration.ofSeconds(8), (labels) -> true);
			WebFluxTestApplication.counting.set(false);
			// the figures docs/labels.md quotes
			logger.info(TenantSplit.assertWithinFivePoints(profile, WebFluxTestApplication.units.get("acme").get(),
					WebFluxTestApplication.units.get("globex").get()));
		}
		finally {
			running.set(false);
			for (Thread client : clients) {
				client.join(10_000);
			}
		}
	}

	private static HttpRequest request(String path, String tenant) {
		return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
			.header("Authorization", "Basic cmVhZGVyOnB3LWZvci10ZXN0cw==")
			.header("X-Tenant-ID", tenant)
			.timeout(Duration.ofSeconds(30))
			.build();
	}

}
