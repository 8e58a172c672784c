package dev.diagkit.tracing;

import java.time.Duration;

import dev.diagkit.labels.ProfilingLabels;
import dev.diagkit.testing.Work;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.handler.TracingObservationHandler;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.restclient.RestTemplateBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.filter.ServerHttpObservationFilter;

/**
 * A traced service: pages that burn a given amount of CPU and answer with the trace and span
 * they ran in and the labels they ran under, behind Spring Boot's default security.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import({ TracedApplication.BurnController.class, TracedApplication.CallController.class })
class TracedApplication {

	static final String PASSWORD = "pw-for-tests";

	/** Spring Boot's tracer auto-configurations, one per bridge; a test keeps one. */
	enum Bridge {

		BRAVE("org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration"),

		OPENTELEMETRY("org.springframework.boot.micrometer.tracing.brave.autoconfigure.BraveAutoConfiguration");

		private final String other;

		Bridge(String other) {
			this.other = other;
		}

		/** The argument that leaves only this bridge to Spring Boot. */
		String only() {
			return "--spring.autoconfigure.exclude=" + this.other;
		}

	}

	@Bean
	UserDetailsService users() {
		return new InMemoryUserDetailsManager(
				User.withUsername("reader").password("{noop}" + PASSWORD).roles("DIAG", "USER").build());
	}

	@RestController
	static class BurnController {

		private final ObservationRegistry observations;

		BurnController(ObservationRegistry observations) {
			this.observations = observations;
		}

		/**
		 * Burns {@code millis} of CPU; answers "traceId serverSpanId labels", the ids as the
		 * tracer has them.
		 */
		@GetMapping("/burn/{millis}")
		String burn(@PathVariable long millis, HttpServletRequest request) {
			// in a child span of the request's: its CPU is still the request's local root's
			Observation.createNotStarted("burn", this.observations)
				.observe(() -> Work.burnCpuTime(Duration.ofMillis(millis)));
			Span server = ServerHttpObservationFilter.findObservationContext(request)
				.map((context) -> context.<TracingObservationHandler.TracingContext>get(
						TracingObservationHandler.TracingContext.class))
				.map((tracing) -> tracing.getSpan())
				.orElse(null);
			String ids = (server != null) ? server.context().traceId() + " " + server.context().spanId() : "- -";
			return ids + " " + ProfilingLabels.current();
		}

	}

	/**
	 * Calls the service at {@code downstream.url} with one of Spring Boot's instrumented
	 * clients, {@code RestClient}, {@code RestTemplate} or {@code WebClient}, and answers
	 * with what it answered.
	 */
	@RestController
	static class CallController {

		private final RestClient client;

		private final RestTemplate template;

		private final WebClient webClient;

		CallController(RestClient.Builder builder, RestTemplateBuilder templates, WebClient.Builder webClients,
				@Value("${downstream.url:http://localhost:1}") String downstream) {
			this.client = builder.baseUrl(downstream)
				.defaultHeaders((headers) -> headers.setBasicAuth("reader", PASSWORD))
				.build();
			this.template = templates.rootUri(downstream).basicAuthentication("reader", PASSWORD).build();
			this.webClient = webClients.baseUrl(downstream)
				.defaultHeaders((headers) -> headers.setBasicAuth("reader", PASSWORD))
				.build();
		}

		@GetMapping("/call/{millis}")
		String call(@PathVariable long millis) {
			return this.client.get().uri("/burn/{millis}", millis).retrieve().body(String.class);
		}

		@GetMapping("/call-template/{millis}")
		String callTemplate(@PathVariable long millis) {
			return this.template.getForObject("/burn/{millis}", String.class, millis);
		}

		@GetMapping("/call-webclient/{millis}")
		String callWebClient(@PathVariable long millis) {
			return this.webClient.get().uri("/burn/{millis}", millis).retrieve().bodyToMono(String.class).block();
		}

	}

}
