package dev.diagkit.tracing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import dev.diagkit.labels.ProfilingLabels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
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
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A traced WebFlux request runs under its trace's labels on the threads its work reaches, as
 * under its request labels: the handler after a publishOn hop sees the trace id the caller
 * chose, with each bridge.
 */
class WebFluxSpanLabelsTests {

	@ParameterizedTest
	@EnumSource(TracedApplication.Bridge.class)
	void aHandlerOnAnotherSchedulerThreadRunsUnderItsTrace(TracedApplication.Bridge bridge) throws Exception {
		SpringApplication application = new SpringApplication(FluxApplication.class);
		application.setWebApplicationType(WebApplicationType.REACTIVE);
		ConfigurableApplicationContext context = application.run("--server.port=0",
				"--spring.application.name=traced-flux", bridge.only(),
				"--management.tracing.sampling.probability=1.0");
		try {
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
			HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/hop"))
				.header("Authorization", "Basic cmVhZGVyOnB3LWZvci10ZXN0cw==")
				.header("X-Tenant-ID", "acme")
				.header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
				.timeout(Duration.ofSeconds(30))
				.build();
			HttpResponse<String> response = HttpClient.newHttpClient()
				.send(request, HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
			assertThat(response.body()).startsWith("boundedElastic")
				.contains("tenant=acme", "trace_id=" + traceId)
				.containsPattern("span_id=[0-9a-f]{16}");
		}
		finally {
			context.close();
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(HopController.class)
	static class FluxApplication {

		@Bean
		MapReactiveUserDetailsService users() {
			return new MapReactiveUserDetailsService(
					User.withUsername("reader").password("{noop}" + TracedApplication.PASSWORD).roles("USER").build());
		}

	}

	@RestController
	static class HopController {

		@GetMapping("/hop")
		Mono<String> hop() {
			return Mono.delay(Duration.ofMillis(5))
				.publishOn(Schedulers.boundedElastic())
				.map((tick) -> Thread.currentThread().getName() + " " + ProfilingLabels.current());
		}

	}

}
