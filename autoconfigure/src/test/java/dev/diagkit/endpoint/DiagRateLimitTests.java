package dev.diagkit.endpoint;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each client gets a burst, then the per-minute rate; one client's calls do not use up
 * another's.
 */
@SpringBootTest(classes = DiagTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=diag", "diagkit.endpoint.requests-per-minute=6",
				"diagkit.endpoint.burst=3" })
@DirtiesContext
class DiagRateLimitTests {

	@LocalServerPort
	private int port;

	@Test
	void callsBeyondTheBurstGet429WithRetryAfterPerClient() throws Exception {
		DiagClient client = new DiagClient(this.port);
		List<Integer> statuses = new ArrayList<>();
		HttpResponse<String> refused = null;
		for (int i = 0; i < 5; i++) {
			HttpResponse<String> response = client.get("/actuator/diag/labels", DiagClient.basic("reader"));
			statuses.add(response.statusCode());
			if (response.statusCode() == 429) {
				refused = response;
			}
		}
		assertThat(statuses).startsWith(200, 200, 200).contains(429);
		assertThat(refused).isNotNull();
		assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 10L);
		assertThat(DiagClient.body(refused).get("message").toString()).contains("requests-per-minute");
		assertThat(client.get("/actuator/diag/labels", DiagClient.basic("admin")).statusCode())
			.as("another client has its own bucket")
			.isEqualTo(200);
	}

}
