package dev.diagkit.webflux;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import dev.diagkit.testing.TraceEvents;
import jdk.jfr.consumer.RecordedEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every WebFlux request is one {@code diagkit.Task}, named by its endpoint, whose regions on
 * the Netty thread and on the scheduler threads its work hops to all name it; concurrent
 * requests never lend each other their task. Real Netty server, real JFR recording.
 */
class WebFluxRequestTasksTests {

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
		context = application.run("--server.port=0", "--spring.application.name=webflux-tasks");
		port = ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	@AfterAll
	static void stop() {
		if (context != null) {
			context.close();
		}
	}

	@Test
	void concurrentRequestsAreOneTaskEachWithTheirRegionsOnEveryThread() throws Exception {
		List<RecordedEvent> events;
		try (TraceEvents recorded = TraceEvents.record()) {
			List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
			for (int i = 0; i < 40; i++) {
				responses.add(this.http.sendAsync(
						HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/regions/" + i))
							.header("Authorization", "Basic cmVhZGVyOnB3LWZvci10ZXN0cw==")
							.header("X-Tenant-ID", (i % 2 == 0) ? "acme" : "globex")
							.timeout(Duration.ofSeconds(30))
							.build(),
						HttpResponse.BodyHandlers.ofString()));
			}
			for (int i = 0; i < responses.size(); i++) {
				HttpResponse<String> response = responses.get(i).join();
				assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
				assertThat(response.body()).isEqualTo(String.valueOf(i));
			}
			events = recorded.stop();
		}
		List<RecordedEvent> tasks = TraceEvents.of(events, "diagkit.Task");
		assertThat(tasks).hasSize(40).allSatisfy((task) -> {
			assertThat(task.getString("name")).isEqualTo("GET /regions/{id}");
			assertThat(task.getString("labels")).contains("tenant=");
		});
		Map<Long, RecordedEvent> byId = tasks.stream()
			.collect(Collectors.toMap((e) -> e.getLong("id"), (e) -> e));
		List<RecordedEvent> regions = TraceEvents.of(events, "diagkit.Region");
		assertThat(regions).hasSize(120);
		Map<Long, List<RecordedEvent>> regionsByTask = regions.stream()
			.collect(Collectors.groupingBy((e) -> e.getLong("taskId")));
		assertThat(regionsByTask.keySet()).isEqualTo(byId.keySet());
		regionsByTask.forEach((taskId, own) -> {
			assertThat(own).extracting((e) -> e.getString("name"))
				.containsExactlyInAnyOrder("handler", "on-parallel", "on-elastic");
			Set<String> threads = own.stream().map((e) -> e.getThread().getJavaName()).collect(Collectors.toSet());
			assertThat(threads).anyMatch((name) -> name.startsWith("parallel-"))
				.anyMatch((name) -> name.startsWith("boundedElastic-"));
			RecordedEvent task = byId.get(taskId);
			assertThat(own).allSatisfy((region) -> {
				assertThat(region.getStartTime()).isAfterOrEqualTo(task.getStartTime());
				assertThat(region.getEndTime()).isBeforeOrEqualTo(task.getEndTime());
			});
		});
	}

}
