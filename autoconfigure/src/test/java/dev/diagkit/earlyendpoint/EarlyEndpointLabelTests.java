package dev.diagkit.earlyendpoint;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code endpoint} label covers the whole request, Spring Security's authentication
 * included: in an application where bcrypt inside {@code BasicAuthenticationFilter} is most
 * of a request's CPU, a real CPU profile of one tenant's requests is read back and the share
 * of its samples that carry the route template is counted, with the early endpoint on (the
 * default) and off.
 */
class EarlyEndpointLabelTests {

	private static final String ROUTE = "endpoint=GET /orders/{id}";

	@Test
	void samplesInsideAuthenticationCarryTheRouteTemplate() throws Exception {
		Shares shares = profileOrders(true);
		assertThat(shares.authentication()).as("share of acme's samples inside bcrypt").isGreaterThan(0.5);
		assertThat(shares.withRoute()).as("share of acme's samples with the route").isGreaterThanOrEqualTo(0.95);
	}

	@Test
	void withoutTheEarlyEndpointAuthenticationRunsWithoutTheRoute() throws Exception {
		Shares shares = profileOrders(false);
		assertThat(shares.authentication()).as("share of acme's samples inside bcrypt").isGreaterThan(0.5);
		assertThat(shares.withRoute()).as("share of acme's samples with the route").isLessThan(0.5);
	}

	@Test
	void securityRunsUnderTheRouteTheDispatcherChooses() throws Exception {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(
				ExpensiveAuthenticationApplication.class)
			.properties("server.port=0", "management.endpoints.web.exposure.include=diag,health",
					"spring.main.banner-mode=off")
			.run()) {
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
			record Call(String name, HttpRequest request, int status, String endpoint) {
			}
			List<Call> calls = List.of(
					new Call("order", request(port, "/orders/7", "user").build(), 200, "GET /orders/{id}"),
					// curl -X POST: no body, no Content-Type; diag takes it as an empty JSON object
					new Call("gc without body",
							request(port, "/actuator/diag/gc", "admin").POST(HttpRequest.BodyPublishers.noBody())
								.build(),
							200, "POST /actuator/diag/{section}"),
					new Call("gc with JSON",
							request(port, "/actuator/diag/gc", "admin").header("Content-Type", "application/json")
								.POST(HttpRequest.BodyPublishers.ofString("{}"))
								.build(),
							200, "POST /actuator/diag/{section}"),
					new Call("labels", request(port, "/actuator/diag/labels", "admin").build(), 200,
							"GET /actuator/diag/{section}"),
					new Call("health", request(port, "/actuator/health", "user").build(), 200,
							"GET /actuator/health"),
					new Call("no handler", request(port, "/nothing/here", "user").build(), 404, "GET UNMATCHED"));
			for (Call call : calls) {
				HttpResponse<String> response = client.send(
						HttpRequest.newBuilder(call.request(), (name, value) -> true)
							.header(ExpensiveAuthenticationApplication.RECORD_HEADER, call.name())
							.build(),
						HttpResponse.BodyHandlers.ofString());
				assertThat(response.statusCode()).as(call.name() + ": " + response.body()).isEqualTo(call.status());
				assertThat(ExpensiveAuthenticationApplication.EARLY_ENDPOINTS.get(call.name()))
					.as("endpoint label during Spring Security for " + call.name())
					.isEqualTo(call.endpoint());
			}
		}
	}

	private Shares profileOrders(boolean early) throws Exception {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(
				ExpensiveAuthenticationApplication.class)
			.properties("server.port=0", "management.endpoints.web.exposure.include=diag",
					"diagkit.endpoint.requests-per-minute=100000", "diagkit.endpoint.burst=100000",
					"diagkit.profiling.cpu-interval=10ms", "diagkit.labels.request.early-endpoint=" + early,
					"spring.main.banner-mode=off")
			.run()) {
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
			AtomicBoolean running = new AtomicBoolean(true);
			AtomicInteger served = new AtomicInteger();
			List<Thread> clients = new ArrayList<>();
			for (int i = 0; i < 2; i++) {
				Thread thread = new Thread(() -> {
					int id = 0;
					while (running.get()) {
						try {
							HttpResponse<String> response = client.send(request(port, "/orders/" + id++, "user")
								.header("X-Tenant-ID", "acme")
								.build(), HttpResponse.BodyHandlers.ofString());
							if (response.statusCode() == 200) {
								served.incrementAndGet();
							}
						}
						catch (Exception ex) {
							return;
						}
					}
				}, "early-endpoint-client-" + i);
				thread.start();
				clients.add(thread);
			}
			HttpResponse<String> profile;
			try {
				profile = client.send(
						request(port, "/actuator/diag/profile?seconds=4&type=cpu&format=collapsed&focus=tenant=acme",
								"admin")
							.build(),
						HttpResponse.BodyHandlers.ofString());
			}
			finally {
				running.set(false);
				for (Thread thread : clients) {
					thread.join(10_000);
				}
			}
			assertThat(profile.statusCode()).as(profile.body()).isEqualTo(200);
			assertThat(served.get()).as("orders served").isGreaterThan(10);
			return Shares.of(profile.body());
		}
	}

	private static HttpRequest.Builder request(int port, String path, String user) {
		String credentials = user + ":" + ExpensiveAuthenticationApplication.PASSWORD;
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.timeout(Duration.ofSeconds(30))
			.header("Authorization",
					"Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
	}

	/** Shares of a tenant's samples, from collapsed stacks whose root frames are labels. */
	record Shares(long samples, double withRoute, double authentication) {

		static Shares of(String collapsed) {
			long samples = 0;
			long withRoute = 0;
			long authentication = 0;
			for (String line : collapsed.split("\n")) {
				if (line.isBlank() || line.startsWith("#")) {
					continue;
				}
				int space = line.lastIndexOf(' ');
				long count = Long.parseLong(line.substring(space + 1).trim());
				String stack = line.substring(0, space);
				samples += count;
				if (List.of(stack.split(";")).contains(ROUTE)) {
					withRoute += count;
				}
				if (stack.contains("BCrypt")) {
					authentication += count;
				}
			}
			assertThat(samples).as("acme's samples in the profile").isGreaterThan(100);
			return new Shares(samples, (double) withRoute / samples, (double) authentication / samples);
		}

	}

}
