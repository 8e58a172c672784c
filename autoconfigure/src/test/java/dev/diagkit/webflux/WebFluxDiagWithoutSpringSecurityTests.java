package dev.diagkit.webflux;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.DefaultResourceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * A WebFlux application without Spring Security: diag answers loopback clients only, judged
 * by the connection's own addresses (forwarded headers, which Reactor Netty takes from any
 * client, neither make a loopback client remote nor a remote one loopback), takes
 * a bodiless {@code POST} as the empty object {@code curl -X POST} means, and refuses a flood
 * from one address with {@code 429} before the endpoint runs.
 */
class WebFluxDiagWithoutSpringSecurityTests {

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@Test
	void onlyLoopbackClientsAreAnswered() throws Exception {
		try (ConfigurableApplicationContext context = start()) {
			int port = port(context);
			assertThat(send(port, "GET", "/actuator/diag/labels").statusCode()).isEqualTo(200);
			HttpResponse<String> gc = send(port, "POST", "/actuator/diag/gc");
			assertThat(gc.statusCode()).as(gc.body()).isEqualTo(200);
			assertThat(send(port, "GET", "/actuator/diag/labels", "X-Forwarded-For", "203.0.113.7").statusCode())
				.as("a forwarded header does not make a loopback client remote")
				.isEqualTo(200);
			String external = externalAddress();
			HttpResponse<String> remote = send(external, port, "GET", "/actuator/diag/labels");
			assertThat(remote.statusCode()).isEqualTo(403);
			assertThat(remote.body()).contains("loopback").contains(external).contains("spring-boot-starter-security");
			HttpResponse<String> spoofed = send(external, port, "POST", "/actuator/diag/gc", "X-Forwarded-For",
					"127.0.0.1", "X-Forwarded-Host", "127.0.0.1");
			assertThat(spoofed.statusCode()).as("forwarded headers claiming loopback from %s", external)
				.isEqualTo(403);
			HttpResponse<String> typed = this.http.send(HttpRequest
				.newBuilder(URI.create("http://localhost:" + port + "/actuator/diag/settings"))
				.header("Content-Type", "text/csv")
				.POST(HttpRequest.BodyPublishers.ofString("ttl,5m"))
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(typed.statusCode()).isEqualTo(415);
			assertThat(typed.body()).contains("application/json").contains("text/csv");
		}
	}

	@Test
	void aFloodFromOneAddressIsRefusedBeforeTheEndpointRuns() throws Exception {
		try (ConfigurableApplicationContext context = start("--diagkit.endpoint.burst=2",
				"--diagkit.endpoint.requests-per-minute=1")) {
			int port = port(context);
			assertThat(send(port, "GET", "/actuator/diag/labels").statusCode()).isEqualTo(200);
			assertThat(send(port, "GET", "/actuator/diag/labels").statusCode()).isEqualTo(200);
			List<CompletableFuture<HttpResponse<String>>> flood = new ArrayList<>();
			for (int i = 0; i < 20; i++) {
				flood.add(this.http.sendAsync(request(port, "GET", "/actuator/diag/metrics"),
						HttpResponse.BodyHandlers.ofString()));
			}
			for (CompletableFuture<HttpResponse<String>> refused : flood) {
				HttpResponse<String> response = refused.get(30, TimeUnit.SECONDS);
				assertThat(response.statusCode()).isEqualTo(429);
				assertThat(response.headers().firstValue("Retry-After")).isPresent();
				assertThat(response.body()).contains("\"status\":429").contains("address 127.0.0.1");
			}
		}
	}

	private HttpResponse<String> send(int port, String method, String path, String... headers) throws Exception {
		return send("localhost", port, method, path, headers);
	}

	private HttpResponse<String> send(String host, int port, String method, String path, String... headers)
			throws Exception {
		return this.http.send(request(host, port, method, path, headers), HttpResponse.BodyHandlers.ofString());
	}

	private static HttpRequest request(int port, String method, String path, String... headers) {
		return request("localhost", port, method, path, headers);
	}

	private static HttpRequest request(String host, int port, String method, String path, String... headers) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + path))
			.timeout(Duration.ofSeconds(30))
			.method(method, HttpRequest.BodyPublishers.noBody());
		for (int i = 0; i < headers.length; i += 2) {
			builder.header(headers[i], headers[i + 1]);
		}
		return builder.build();
	}

	/** An address of this machine that is not loopback: connecting to it is a remote call. */
	private static String externalAddress() throws Exception {
		for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
			if (network.isUp() && !network.isLoopback()) {
				for (InetAddress address : Collections.list(network.getInetAddresses())) {
					if (address instanceof Inet4Address) {
						return address.getHostAddress();
					}
				}
			}
		}
		assumeThat(false).as("an IPv4 address that is not loopback").isTrue();
		throw new IllegalStateException();
	}

	private static ConfigurableApplicationContext start(String... args) {
		FilteredClassLoader withoutSecurity = new FilteredClassLoader("org.springframework.security");
		List<String> all = new ArrayList<>(List.of("--server.port=0",
				"--management.endpoints.web.exposure.include=diag", "--server.forward-headers-strategy=native"));
		all.addAll(List.of(args));
		return new SpringApplicationBuilder(PlainApplication.class).web(WebApplicationType.REACTIVE)
			.resourceLoader(new DefaultResourceLoader(withoutSecurity))
			.run(all.toArray(String[]::new));
	}

	private static int port(ConfigurableApplicationContext context) {
		return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class PlainApplication {

	}

}
