package dev.diagkit.webflux;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import dev.diagkit.labels.ProfilingLabels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code tenant-requires-authentication} a WebFlux request names its tenant only once
 * Spring Security has authenticated it: the handler's work on a scheduler thread runs under
 * the tenant of an authenticated request, under none for an anonymous one that sends the
 * same header.
 */
class WebFluxAuthenticatedTenantTests {

	private static ConfigurableApplicationContext context;

	private static int port;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@BeforeAll
	static void start() {
		SpringApplication application = new SpringApplication(TenantApplication.class);
		application.setWebApplicationType(WebApplicationType.REACTIVE);
		context = application.run("--server.port=0", "--spring.application.name=webflux-tenants",
				"--diagkit.labels.request.tenant-requires-authentication=true");
		port = ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	@AfterAll
	static void stop() {
		if (context != null) {
			context.close();
		}
	}

	@Test
	void onlyAnAuthenticatedRequestNamesItsTenant() throws Exception {
		assertThat(labels("Basic cmVhZGVyOnB3LWZvci10ZXN0cw==")).startsWith("boundedElastic")
			.contains("tenant=acme", "endpoint=GET /work");
		assertThat(labels(null)).startsWith("boundedElastic")
			.contains("endpoint=GET /work")
			.doesNotContain("tenant=");
	}

	private String labels(String authorization) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/work"))
			.header("X-Tenant-ID", "acme")
			.timeout(Duration.ofSeconds(30));
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		HttpResponse<String> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return response.body();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(WorkController.class)
	static class TenantApplication {

		@Bean
		MapReactiveUserDetailsService users() {
			return new MapReactiveUserDetailsService(
					User.withUsername("reader").password("{noop}pw-for-tests").roles("USER").build());
		}

		/** Everyone may call; a caller with credentials is authenticated. */
		@Bean
		SecurityWebFilterChain chain(ServerHttpSecurity http) {
			return http.authorizeExchange((exchanges) -> exchanges.anyExchange().permitAll())
				.httpBasic((basic) -> {
				})
				.csrf((csrf) -> csrf.disable())
				.build();
		}

	}

	@RestController
	static class WorkController {

		/** Answers the thread and labels its work ran under, on a scheduler thread. */
		@GetMapping("/work")
		Mono<String> work() {
			return Mono.fromCallable(() -> Thread.currentThread().getName() + " " + ProfilingLabels.current())
				.subscribeOn(Schedulers.boundedElastic());
		}

	}

}
