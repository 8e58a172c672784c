package dev.diagkit.endpoint;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.DefaultResourceLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Without Spring Security on the class path nothing authenticates callers, so diag answers
 * loopback clients only unless told otherwise. The application starts for real, on a
 * class loader that hides Spring Security.
 */
class DiagWithoutSpringSecurityTests {

	@Test
	void onlyLoopbackClientsAreAnswered() throws Exception {
		try (ConfigurableApplicationContext context = start()) {
			DiagClient client = new DiagClient(port(context));
			assertThat(client.get("/actuator/diag/labels").statusCode()).isEqualTo(200);
			assertThat(client.post("/actuator/diag/gc", "{}").statusCode()).isEqualTo(200);
			HttpResponse<String> remote = client.get("/actuator/diag/labels", "X-Forwarded-For", "203.0.113.7");
			assertThat(remote.statusCode()).isEqualTo(403);
			assertThat(DiagClient.body(remote).get("message").toString()).contains("loopback")
				.contains("spring-boot-starter-security")
				.contains("diagkit.security.tokens")
				.contains("diagkit.security.allowed-networks")
				.contains("diagkit.security.allow-unauthenticated-remote=true");
		}
	}

	@Test
	void remoteClientsAreAnsweredWhenExplicitlyAllowed() throws Exception {
		try (ConfigurableApplicationContext context = start("--diagkit.security.allow-unauthenticated-remote=true")) {
			DiagClient client = new DiagClient(port(context));
			assertThat(client.get("/actuator/diag/labels", "X-Forwarded-For", "203.0.113.7").statusCode())
				.isEqualTo(200);
		}
	}

	@Test
	void aFloodFromOneAddressIsRefusedBeforeTheEndpointRunsAndHeldBack() throws Exception {
		try (ConfigurableApplicationContext context = start("--diagkit.endpoint.burst=2",
				"--diagkit.endpoint.requests-per-minute=1")) {
			DiagClient client = new DiagClient(port(context));
			assertThat(client.get("/actuator/diag/labels").statusCode()).isEqualTo(200);
			assertThat(client.get("/actuator/diag/labels").statusCode()).isEqualTo(200);
			List<CompletableFuture<HttpResponse<String>>> flood = new ArrayList<>();
			for (int i = 0; i < 20; i++) {
				flood.add(client.getAsync("/actuator/diag/metrics"));
			}
			for (CompletableFuture<HttpResponse<String>> refused : flood) {
				HttpResponse<String> response = refused.get(30, TimeUnit.SECONDS);
				assertThat(response.statusCode()).isEqualTo(429);
				assertThat(response.headers().firstValue("Retry-After")).isPresent();
				assertThat(DiagClient.body(response)).containsEntry("status", 429)
					.extractingByKey("message")
					.asString()
					.contains("address 127.0.0.1");
			}
		}
	}

	private static ConfigurableApplicationContext start(String... args) {
		FilteredClassLoader withoutSecurity = new FilteredClassLoader("org.springframework.security");
		String[] all = new String[args.length + 3];
		all[0] = "--server.port=0";
		all[1] = "--management.endpoints.web.exposure.include=diag";
		all[2] = "--server.forward-headers-strategy=native";
		System.arraycopy(args, 0, all, 3, args.length);
		return new SpringApplicationBuilder(PlainApplication.class).web(WebApplicationType.SERVLET)
			.resourceLoader(new DefaultResourceLoader(withoutSecurity))
			.run(all);
	}

	private static int port(ConfigurableApplicationContext context) {
		return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
	}

	@SpringBootApplication(scanBasePackages = "dev.diagkit.endpoint.none")
	static class PlainApplication {

	}

}
