package dev.diagkit.endpoint;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.audit.AuditEventRepository;
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
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_EACH_TEST_METHOD)
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

	@Test
	void stacksPauseTheApplicationAtMostTwiceInARowWhoeverAsksAndAreAudited(@Autowired AuditEventRepository audit)
			throws Exception {
		DiagClient client = new DiagClient(this.port);
		assertThat(client.get("/actuator/diag/stacks", DiagClient.basic("reader")).statusCode()).isEqualTo(200);
		assertThat(client.get("/actuator/diag/stacks", DiagClient.basic("admin")).statusCode()).isEqualTo(200);
		HttpResponse<String> third = client.get("/actuator/diag/stacks", DiagClient.basic("reader"));
		assertThat(third.statusCode()).as("a third pause in a row, from either caller").isEqualTo(429);
		assertThat(third.headers().firstValue("Retry-After")).isPresent();
		assertThat(DiagClient.body(third).get("message").toString()).contains("pauses the application")
			.contains("diagkit.endpoint.stacks.max-per-minute");
		assertThat(audit.find("reader", null, "DIAG_STACKS")).extracting((event) -> event.getData().get("outcome"))
			.containsExactly("ok 200", "rejected: " + DiagClient.body(third).get("message"));
	}

	@Test
	void failedAuthenticationsAreLimitedPerAddress() throws Exception {
		DiagClient client = new DiagClient(this.port);
		String[] wrong = { "Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("admin:guess".getBytes()) };
		List<Integer> statuses = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			statuses.add(client.get("/actuator/diag/labels", wrong).statusCode());
		}
		assertThat(statuses).startsWith(401, 401, 401).endsWith(429);
		HttpResponse<String> refused = client.get("/actuator/diag/labels", DiagClient.basic("admin"));
		assertThat(refused.statusCode()).as("even good credentials wait").isEqualTo(429);
		assertThat(refused.headers().firstValue("Retry-After")).isPresent();
	}

}
