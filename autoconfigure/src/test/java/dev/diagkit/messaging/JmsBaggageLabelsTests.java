package dev.diagkit.messaging;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jms.annotation.JmsListener;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Labels cross services on messages too: a labelled request sends a JMS message with Spring
 * Boot's instrumented {@code JmsTemplate} through an embedded Artemis broker, and the
 * listener's span carries the request's tenant as baggage, in the request's trace, with each
 * bridge.
 */
class JmsBaggageLabelsTests {

	private static final String PASSWORD = "pw-for-tests";

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@ParameterizedTest
	@ValueSource(strings = {
			"org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration",
			"org.springframework.boot.micrometer.tracing.brave.autoconfigure.BraveAutoConfiguration" })
	void aMessageSentDuringALabelledRequestCarriesItsTenant(String otherBridge) throws Exception {
		try (ConfigurableApplicationContext context = new SpringApplication(MessagingApplication.class).run(
				"--server.port=0", "--spring.application.name=messaging", "--spring.autoconfigure.exclude=" + otherBridge,
				"--management.tracing.sampling.probability=1.0", "--diagkit.tracing.baggage-labels=tenant",
				"--spring.artemis.mode=embedded")) {
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			Received received = context.getBean(Received.class);
			String traceId = send(port, "acme");
			Map<String, String> acme = received.next();
			assertThat(acme).containsEntry("tenant", "acme").containsEntry("traceId", traceId);
			send(port, null);
			assertThat(received.next()).as("a request without a tenant sends none").doesNotContainKey("tenant");
		}
	}

	private String send(int port, String tenant) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/send"))
			.header("Authorization", "Basic cmVhZGVyOnB3LWZvci10ZXN0cw==")
			.timeout(Duration.ofSeconds(30));
		if (tenant != null) {
			request.header("X-Tenant-ID", tenant);
		}
		HttpResponse<String> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return response.body();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import({ SendController.class, Received.class })
	static class MessagingApplication {

		@Bean
		UserDetailsService users() {
			return new InMemoryUserDetailsManager(
					User.withUsername("reader").password("{noop}" + PASSWORD).roles("USER").build());
		}

	}

	/** Sends a message from within a request; answers the request's trace id. */
	@RestController
	static class SendController {

		private final JmsTemplate jms;

		private final Tracer tracer;

		SendController(JmsTemplate jms, Tracer tracer) {
			this.jms = jms;
			this.tracer = tracer;
		}

		@GetMapping("/send")
		String send() {
			this.jms.convertAndSend("labels", "hello");
			Span span = this.tracer.currentSpan();
			return (span != null) ? span.context().traceId() : "none";
		}

	}

	/** What the listener's span carried: its baggage, and its trace id under "traceId". */
	@Component
	static class Received {

		private final BlockingQueue<Map<String, String>> messages = new LinkedBlockingQueue<>();

		private final Tracer tracer;

		Received(Tracer tracer) {
			this.tracer = tracer;
		}

		@JmsListener(destination = "labels")
		void onMessage(String body) {
			Span span = this.tracer.currentSpan();
			Map<String, String> seen = new HashMap<>(this.tracer.getAllBaggage());
			seen.put("traceId", (span != null) ? span.context().traceId() : "none");
			this.messages.add(seen);
		}

		Map<String, String> next() throws InterruptedException {
			Map<String, String> message = this.messages.poll(30, TimeUnit.SECONDS);
			assertThat(message).as("a message within 30 s").isNotNull();
			return message;
		}

	}

}
