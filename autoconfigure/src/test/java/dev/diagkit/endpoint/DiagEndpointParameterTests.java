package dev.diagkit.endpoint;

import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input gets a 400 whose message names the parameter and what is accepted, never a 500.
 */
@SpringBootTest(classes = DiagTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=diag", "diagkit.endpoint.requests-per-minute=100000",
				"diagkit.endpoint.burst=100000" })
@DirtiesContext
class DiagEndpointParameterTests {

	@LocalServerPort
	private int port;

	@ParameterizedTest(name = "GET {0} -> {1}")
	@CsvSource(delimiter = '|', quoteCharacter = '"', value = { "/actuator/diag/trace?seconds=0|'seconds' must be between 1 and 60, was 0",
			"/actuator/diag/trace?seconds=-1|'seconds' must be between 1 and 60, was -1",
			"/actuator/diag/trace?seconds=61|'seconds' must be between 1 and 60, was 61",
			"/actuator/diag/trace?seconds=abc|'seconds' must be a whole number between 1 and 60, was 'abc'",
			"/actuator/diag/trace?seconds=1e9|'seconds' must be a whole number between 1 and 60, was '1e9'",
			"/actuator/diag/trace?seconds=99999999999|'seconds' must be a whole number between 1 and 60",
			"/actuator/diag/trace?seconds=1&settings=fast|'settings' must be one of",
			"/actuator/diag/nosuch|Unknown section 'nosuch'; the sections are stacks, labels, metrics, gc, trace, analysis, profile, profiles, settings, capacity, memory, native",
			"/actuator/diag/stacks?format=xml|'format' must be one of",
			"/actuator/diag/stacks?group=maybe|'group' must be true or false, was 'maybe'",
			"/actuator/diag/metrics?format=yaml|'format' must be one of",
			"/actuator/diag/capacity?format=html|'format' must be one of" })
	void badQueryParametersGet400NamingTheParameter(String path, String message) throws Exception {
		HttpResponse<String> response = new DiagClient(this.port).get(path, DiagClient.basic("admin"));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
		Map<String, Object> body = DiagClient.body(response);
		assertThat(body).containsEntry("status", 400);
		assertThat(body.get("message").toString()).contains(message);
	}

	@ParameterizedTest(name = "POST settings {0} -> {1}")
	@CsvSource(delimiter = '|', quoteCharacter = '`', value = { "{\"cpuInterval\":\"0ms\"}|'cpuInterval' must be between 1ms and 1s, was 0s",
			"{\"cpuInterval\":\"fast\"}|'cpuInterval' must be a duration such as 10ms, 5s or 2m, was 'fast'",
			"{\"cpuInterval\":\"10ms\",\"ttl\":\"600\"}|'ttl' must be a duration such as 10ms, 5s or 2m, was '600'",
			"{\"allocationSamplesPerSecond\":\"-5\"}|'allocationSamplesPerSecond' must be between 0 and 10000, was -5",
			"{\"lockThreshold\":\"1h\"}|'lockThreshold' must be between 0s and 10s, was 1h",
			"{\"cpuInterval\":\"10ms\",\"ttl\":\"2h\"}|'ttl' must be between 1s and 1h, was 2h",
			"{}|Give at least one of cpuInterval", "{\"reset\":\"perhaps\"}|'reset' must be true or false",
			"{\"cpuInterval\":\"10ms\",\"ttl\":\"P200000000000D\"}|'ttl' must be between 1s and 1h",
			"{\"cpuInterval\":\"P200000000000D\"}|'cpuInterval' must be between 1ms and 1s" })
	void badSettingsGet400NamingTheParameter(String body, String message) throws Exception {
		HttpResponse<String> response = new DiagClient(this.port).post("/actuator/diag/settings", body,
				DiagClient.basic("admin"));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
		assertThat(DiagClient.body(response).get("message").toString()).contains(message);
	}

	@Test
	void gcAnswersPostOnly() throws Exception {
		HttpResponse<String> response = new DiagClient(this.port).get("/actuator/diag/gc", DiagClient.basic("admin"));
		assertThat(response.statusCode()).isEqualTo(405);
		assertThat(DiagClient.body(response).get("message").toString()).contains("POST only");
	}

	@Test
	void settingsChangeRevertsAndCanBeReset() throws Exception {
		DiagClient client = new DiagClient(this.port);
		HttpResponse<String> changed = client.post("/actuator/diag/settings",
				"{\"cpuInterval\":\"5ms\",\"lockThreshold\":\"2ms\",\"ttl\":\"5m\"}", DiagClient.basic("admin"));
		assertThat(changed.statusCode()).isEqualTo(200);
		Map<String, Object> body = DiagClient.body(changed);
		assertThat(body.get("current")).isEqualTo(Map.of("cpuInterval", "5ms", "allocationSamplesPerSecond", 150,
				"lockThreshold", "2ms"));
		assertThat(body).containsEntry("setBy", "admin");
		assertThat(body.get("revertsAt")).isNotNull();
		HttpResponse<String> reset = client.post("/actuator/diag/settings", "{\"reset\":\"true\"}",
				DiagClient.basic("admin"));
		Map<String, Object> after = DiagClient.body(reset);
		assertThat(after.get("current")).isEqualTo(after.get("defaults"));
		assertThat(after.get("revertsAt")).isNull();
	}

	@Test
	void gcReportsHeapBeforeAndAfter() throws Exception {
		HttpResponse<String> response = new DiagClient(this.port).post("/actuator/diag/gc", "{}",
				DiagClient.basic("admin"));
		Map<String, Object> body = DiagClient.body(response);
		assertThat(body).containsKeys("heapUsedBeforeBytes", "heapUsedAfterBytes", "freedBytes", "durationMillis");
		assertThat(((Number) body.get("collections")).longValue()).isPositive();
	}

	@Test
	void indexListsEverySectionWithItsCostAndTheLimits() throws Exception {
		Map<String, Object> body = DiagClient.body(new DiagClient(this.port).get("/actuator/diag", DiagClient.basic("reader")));
		assertThat(body.get("sections").toString()).contains("section=stacks", "section=trace", "stopsTheWorld=true",
				"section=native");
		assertThat(body.get("limits").toString()).contains("traceMaxSeconds=60", "maxConcurrentCaptures=1");
	}

}
