package dev.diagkit.tracing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.diagkit.export.PyroscopeIngestServer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Labels across services: service A labels its requests by the tenant header and calls
 * service B with Spring Boot's instrumented {@code RestClient} (and {@code RestTemplate} and
 * {@code WebClient}); B, which gets no tenant header, labels its requests and their profile
 * samples with the tenant A had, taken from the trace's baggage. Two application contexts on
 * random ports, real HTTP, each bridge.
 */
class BaggageLabelsTests {

	private static final Logger logger = LoggerFactory.getLogger(BaggageLabelsTests.class);

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@TempDir
	Path dir;

	@ParameterizedTest
	@EnumSource(TracedApplication.Bridge.class)
	void serviceBRunsUnderTheTenantServiceASetThroughBaggage(TracedApplication.Bridge bridge) throws Exception {
		try (PyroscopeIngestServer pyroscope = PyroscopeIngestServer.start()) {
			ConfigurableApplicationContext b = new SpringApplication(TracedApplication.class).run("--server.port=0",
					"--spring.application.name=service-b", bridge.only(), "--management.tracing.sampling.probability=1.0",
					"--diagkit.tracing.baggage-labels=tenant", "--diagkit.profiling.continuous.enabled=true",
					"--diagkit.profiling.continuous.period=5s",
					"--diagkit.profiling.export.pyroscope.url=" + pyroscope.url(),
					"--diagkit.profiling.export.pyroscope.spool.directory=" + this.dir.resolve("spool"));
			ConfigurableApplicationContext a = null;
			try {
				a = new SpringApplication(TracedApplication.class).run("--server.port=0",
						"--spring.application.name=service-a", bridge.only(),
						"--management.tracing.sampling.probability=1.0", "--diagkit.tracing.baggage-labels=tenant",
						// declared to Spring Boot too: Brave must not be told twice
						"--management.tracing.baggage.remote-fields=tenant",
						"--downstream.url=http://localhost:" + port(b));
				int portA = port(a);
				for (int i = 0; i < 4; i++) {
					assertThat(call(portA, "/call/", "acme", 150)).as("B's labels").contains("tenant=acme");
					assertThat(call(portA, "/call/", "globex", 50)).as("B's labels").contains("tenant=globex");
				}
				assertThat(call(portA, "/call/", null, 1)).as("a request with no tenant gives B none")
					.doesNotContain("tenant=");
				for (String client : List.of("/call-template/", "/call-webclient/")) {
					assertThat(call(portA, client, "initech", 1)).as("B's labels through " + client)
						.contains("tenant=initech");
					assertThat(call(portA, client, null, 1)).as("no tenant through " + client)
						.doesNotContain("tenant=");
				}
			}
			finally {
				if (a != null) {
					a.close();
				}
				b.close();
			}
			await().atMost(Duration.ofSeconds(30)).until(() -> !pyroscope.stored().isEmpty());
			Map<String, Long> cpuByTenant = UploadedCpu.byTenant(pyroscope, "GET /burn/");
			logger.info("{}: service B's CPU under /burn by tenant, ns: {}", bridge, cpuByTenant);
			assertThat(cpuByTenant).containsKeys("acme", "globex");
			assertThat(cpuByTenant.get("acme")).as("acme burnt more CPU in B than globex")
				.isGreaterThan(cpuByTenant.get("globex"));
		}
	}

	private static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	private String call(int port, String client, String tenant, long millis) throws Exception {
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create("http://localhost:" + port + client + millis))
			.header("Authorization", "Basic cmVhZGVyOnB3LWZvci10ZXN0cw==")
			.timeout(Duration.ofSeconds(60));
		if (tenant != null) {
			request.header("X-Tenant-ID", tenant);
		}
		HttpResponse<String> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return response.body();
	}

}
