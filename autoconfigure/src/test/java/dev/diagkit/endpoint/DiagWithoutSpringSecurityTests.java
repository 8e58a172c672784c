package dev.diagkit.endpoint;

import java.net.http.HttpResponse;

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
