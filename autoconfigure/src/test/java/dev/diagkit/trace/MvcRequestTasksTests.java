package dev.diagkit.trace;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import dev.diagkit.labels.LabelSet;
import dev.diagkit.testing.TraceEvents;
import jdk.jfr.consumer.RecordedEvent;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every Spring MVC request is one {@code diagkit.Task}, named by its endpoint and carrying
 * its labels, whose regions on the request thread, in {@code @Async} methods and in an
 * asynchronous handler all name it; on a real Tomcat, read from a real JFR recording.
 */
@SpringBootTest(classes = TracedMvcApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class MvcRequestTasksTests {

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@LocalServerPort
	private int port;

	@Test
	void aRequestIsOneTaskWithRegionsOnEveryThreadThatWorkedForIt() throws Exception {
		List<RecordedEvent> events;
		try (TraceEvents recorded = TraceEvents.record()) {
			assertThat(get("/orders/7", "acme")).isEqualTo("7:42");
			settle();
			events = recorded.stop();
		}
		RecordedEvent task = single(events, "diagkit.Task");
		assertThat(task.getString("name")).isEqualTo("GET /orders/{id}");
		LabelSet labels = LabelText.parse(task.getString("labels"));
		assertThat(labels.get("tenant")).isEqualTo("acme");
		assertThat(labels.get("endpoint")).isEqualTo("GET /orders/{id}");
		long id = task.getLong("id");
		List<RecordedEvent> regions = of(events, "diagkit.Region");
		assertThat(regions).extracting((e) -> e.getString("name")).containsExactlyInAnyOrder("load", "async-price");
		assertThat(regions).allSatisfy((region) -> {
			assertThat(region.getLong("taskId")).isEqualTo(id);
			assertThat(region.getStartTime()).isAfterOrEqualTo(task.getStartTime());
			assertThat(region.getEndTime()).isBeforeOrEqualTo(task.getEndTime());
		});
		Set<Long> threads = regions.stream().map((e) -> e.getThread().getJavaThreadId()).collect(Collectors.toSet());
		assertThat(threads).hasSize(2);
		assertThat(single(events, "diagkit.Log").getLong("taskId")).isEqualTo(id);
	}

	@Test
	void anAsynchronousRequestIsOneTaskUntilItCompletes() throws Exception {
		List<RecordedEvent> events;
		try (TraceEvents recorded = TraceEvents.record()) {
			assertThat(get("/later", "globex")).isEqualTo("done");
			settle();
			events = recorded.stop();
		}
		RecordedEvent task = single(events, "diagkit.Task");
		assertThat(task.getString("name")).isEqualTo("GET /later");
		assertThat(LabelText.parse(task.getString("labels")).get("tenant")).isEqualTo("globex");
		List<RecordedEvent> regions = of(events, "diagkit.Region");
		assertThat(regions).extracting((e) -> e.getString("name"))
			.containsExactlyInAnyOrder("before-callable", "in-callable");
		RecordedEvent inCallable = regions.stream()
			.filter((e) -> e.getString("name").equals("in-callable"))
			.findFirst()
			.orElseThrow();
		assertThat(regions).allSatisfy((region) -> assertThat(region.getLong("taskId")).isEqualTo(task.getLong("id")));
		assertThat(task.getEndTime()).isAfterOrEqualTo(inCallable.getEndTime());
		assertThat(task.getDuration()).isGreaterThanOrEqualTo(Duration.ofMillis(30));
	}

	@Test
	void requestsOutsideARecordingLeaveNoTaskOnTheirThreads() throws Exception {
		assertThat(get("/orders/8", "acme")).isEqualTo("8:42");
		List<RecordedEvent> events;
		try (TraceEvents recorded = TraceEvents.record()) {
			// served by the same threads: a region outside any task there would name the old one
			for (int i = 0; i < 20; i++) {
				get("/orders/" + i, "acme");
			}
			settle();
			events = recorded.stop();
		}
		Set<Long> taskIds = of(events, "diagkit.Task").stream().map((e) -> e.getLong("id")).collect(Collectors.toSet());
		assertThat(taskIds).hasSize(20);
		assertThat(of(events, "diagkit.Region")).hasSize(40)
			.allSatisfy((region) -> assertThat(taskIds).contains(region.getLong("taskId")));
	}

	/**
	 * Lets the last request's task end: the filter ends it as the request leaves the server
	 * thread, which can be after the client has its response (and, for an asynchronous
	 * request, the container's completion comes after that too).
	 */
	private static void settle() throws InterruptedException {
		Thread.sleep(500);
	}

	private String get(String path, String tenant) throws Exception {
		HttpResponse<String> response = this.http.send(
				HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
					.header("X-Tenant-ID", tenant)
					.timeout(Duration.ofSeconds(10))
					.build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return response.body();
	}

	private static List<RecordedEvent> of(List<RecordedEvent> events, String type) {
		return TraceEvents.of(events, type);
	}

	private static RecordedEvent single(List<RecordedEvent> events, String type) {
		return TraceEvents.only(events, type, (e) -> true);
	}

}
