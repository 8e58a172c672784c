package dev.diagkit.virtualthreads;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.diagkit.profiling.Profile;
import dev.diagkit.profiling.ProfileRecorder;
import dev.diagkit.profiling.ProfileType;
import dev.diagkit.profiling.SamplingSettings;
import dev.diagkit.testing.TenantSplit;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Requests of an application with {@code spring.threads.virtual.enabled=true}, over real
 * HTTP: the handler runs on a virtual thread under the request's labels, and so do an
 * {@code @Async} method on Boot's virtual-thread executor and a virtual thread the handler
 * starts itself; a CPU profile taken while two tenants send requests splits their CPU as
 * the work they did. They run when the build runs on a JDK 21+ (the {@code jdk21} profile).
 */
@Tag("jdk21")
@EnabledForJreRange(min = JRE.JAVA_21)
@SpringBootTest(classes = VirtualThreadTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "spring.threads.virtual.enabled=true")
@DirtiesContext
class VirtualThreadRequestsJdk25Tests {

	private static final Log logger = LogFactory.getLog(VirtualThreadRequestsJdk25Tests.class);

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@LocalServerPort
	int port;

	@Test
	void theHandlerItsAsyncWorkAndAThreadItStartsRunVirtualUnderTheRequestsLabels() throws Exception {
		Map<?, ?> body = get("acme", 1);
		for (String part : List.of("handler", "async", "started")) {
			@SuppressWarnings("unchecked")
			Map<String, Object> seen = (Map<String, Object>) body.get(part);
			assertThat(seen).as(part).containsEntry("virtual", true)
				.containsEntry("tenant", "acme")
				.containsEntry("endpoint", "GET /work/{count}");
		}
	}

	@Test
	void aCpuProfileSplitsTheTenantsAsTheWorkTheyDidWithinFivePoints() throws Exception {
		AtomicBoolean running = new AtomicBoolean(true);
		AtomicInteger requests = new AtomicInteger();
		List<Thread> clients = new ArrayList<>();
		// acme asks for three units of work per request, globex for one: 75% and 25%
		for (String tenant : List.of("acme", "acme", "globex", "globex")) {
			Thread client = new Thread(() -> {
				while (running.get()) {
					try {
						get(tenant, "acme".equals(tenant) ? 30 : 10);
						requests.incrementAndGet();
					}
					catch (Exception ex) {
						throw new IllegalStateException(ex);
					}
				}
			}, "client-" + tenant);
			client.setDaemon(true);
			clients.add(client);
			client.start();
		}
		try {
			await().atMost(Duration.ofSeconds(60)).until(() -> requests.get() >= 40);
			VirtualThreadTestApplication.units.clear();
			VirtualThreadTestApplication.counting.set(true);
			ProfileRecorder recorder = new ProfileRecorder(new SamplingSettings(
					new SamplingSettings.Values(Duration.ofMillis(10), 500, Duration.ofMillis(1))));
			Profile profile = recorder.record(ProfileType.CPU, Duration.ofSeconds(8), (labels) -> true);
			VirtualThreadTestApplication.counting.set(false);
			// the figures docs/labels.md quotes
			logger.info(TenantSplit.assertWithinFivePoints(profile, VirtualThreadTestApplication.units.get("acme").get(),
					VirtualThreadTestApplication.units.get("globex").get()));
		}
		finally {
			running.set(false);
			for (Thread client : clients) {
				client.join(10_000);
			}
		}
	}

	private Map<?, ?> get(String tenant, int units) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/work/" + units))
			.header("X-Tenant-ID", tenant)
			.timeout(Duration.ofSeconds(30))
			.build();
		HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return json.readValue(response.body(), Map.class);
	}

}
