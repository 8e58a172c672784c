package dev.diagkit.tracing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.diagkit.export.PyroscopeIngestServer;
import dev.diagkit.labels.ProfilingLabels;
import dev.diagkit.testing.Work;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Labels across WebFlux services: service A labels its requests by the tenant header and
 * calls service B with Spring Boot's instrumented {@code WebClient} from a scheduler thread;
 * B, which gets no tenant header, labels its authenticated requests and their profile
 * samples with the tenant A had, taken from the trace's baggage after Spring Security ran.
 * Two reactive application contexts on random ports, real HTTP. A writes baggage with Brave
 * only (OpenTelemetry keeps baggage in the thread's context, which a WebFlux request leaves);
 * B takes an authenticated caller's baggage, and never an anonymous one's, with each bridge.
 */
class WebFluxBaggageLabelsTests {

	private static final Logger logger = LoggerFactory.getLogger(WebFluxBaggageLabelsTests.class);

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@TempDir
	Path dir;

	@ParameterizedTest
	@EnumSource(TracedApplication.Bridge.class)
	void anAuthenticatedCallersBaggageIsTakenAndAnAnonymousOnesIsNot(TracedApplication.Bridge bridge)
			throws Exception {
		try (ConfigurableApplicationContext b = start("--spring.application.name=flux-b", bridge.only())) {
			assertThat(direct(port(b), "Basic cmVhZGVyOnB3LWZvci10ZXN0cw==")).as("B's labels for a direct call")
				.contains("tenant=initech");
			assertThat(direct(port(b), null)).as("an anonymous caller's baggage is not taken")
				.doesNotContain("tenant=");
		}
	}

	@ParameterizedTest
	@EnumSource(value = TracedApplication.Bridge.class, names = "BRAVE")
	void serviceBRunsUnderTheTenantServiceASetThroughBaggage(TracedApplication.Bridge bridge) throws Exception {
		try (PyroscopeIngestServer pyroscope = PyroscopeIngestServer.start()) {
			ConfigurableApplicationContext b = start("--spring.application.name=flux-b", bridge.only(),
					"--diagkit.profiling.continuous.enabled=true", "--diagkit.profiling.continuous.period=5s",
					"--diagkit.profiling.export.pyroscope.url=" + pyroscope.url(),
					"--diagkit.profiling.export.pyroscope.spool.directory=" + this.dir.resolve("spool"));
			ConfigurableApplicationContext a = null;
			try {
				a = start("--spring.application.name=flux-a", bridge.only(),
						"--downstream.url=http://localhost:" + port(b));
				int portA = port(a);
				for (int i = 0; i < 4; i++) {
					assertThat(call(portA, "acme", 150)).as("B's labels").contains("tenant=acme");
					assertThat(call(portA, "globex", 50)).as("B's labels").contains("tenant=globex");
				}
				assertThat(call(portA, null, 1)).as("a request with no tenant gives B none").doesNotContain("tenant=");
			}
			finally {
				if (a != null) {
					a.close();
				}
				b.close();
			}
			await().atMost(Duration.ofSeconds(30)).until(() -> !pyroscope.stored().isEmpty());
			Map<String, Long> cpuByTenant = UploadedCpu.byTenant(pyroscope, "GET /burn/");
			logger.info("{}: service B's CPU under /burn by tenant, ns: {}", bridge, cpuByTenant);
			assertThat(cpuByTenant).containsKeys("acme", "globex");
			assertThat(cpuByTenant.get("acme")).as("acme burnt more CPU in B than globex")
				.isGreaterThan(cpuByTenant.get("globex"));
		}
	}

	private static ConfigurableApplicationContext start(String... args) {
		SpringApplication application = new SpringApplication(FluxApplication.class);
		application.setWebApplicationType(WebApplicationType.REACTIVE);
		List<String> all = new ArrayList<>(List.of("--server.port=0",
				"--management.tracing.sampling.probability=1.0", "--diagkit.tracing.baggage-labels=tenant"));
		all.addAll(List.of(args));
		return application.run(all.toArray(String[]::new));
	}

	private static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	private String call(int port, String tenant, long millis) throws Exception {
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create("http://localhost:" + port + "/call/" + millis))
			.header("Authorization", "Basic cmVhZGVyOnB3LWZvci10ZXN0cw==")
			.timeout(Duration.ofSeconds(60));
		if (tenant != null) {
			request.header("X-Tenant-ID", tenant);
		}
		HttpResponse<String> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return response.body();
	}

	/**
	 * B's labels for a caller that sends baggage itself, {@code initech} with credentials,
	 * {@code mallory} without (B lets it in on {@code /open}).
	 */
	private String direct(int port, String authorization) throws Exception {
		String tenant = (authorization != null) ? "initech" : "mallory";
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/open"))
			.header("baggage", "tenant=" + tenant)
			.header("tenant", tenant)
			.header("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
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
	@Import(CallController.class)
	static class FluxApplication {

		@Bean
		MapReactiveUserDetailsService users() {
			return new MapReactiveUserDetailsService(
					User.withUsername("reader").password("{noop}" + TracedApplication.PASSWORD).roles("USER").build());
		}

		@Bean
		SecurityWebFilterChain chain(ServerHttpSecurity http) {
			return http.authorizeExchange((exchanges) -> exchanges.pathMatchers("/open")
				.permitAll()
				.anyExchange()
				.authenticated()).httpBasic((basic) -> {
				}).csrf((csrf) -> csrf.disable()).build();
		}

	}

	@RestController
	static class CallController {

		private final WebClient client;

		CallController(WebClient.Builder builder, @Value("${downstream.url:http://localhost:1}") String downstream) {
			this.client = builder.baseUrl(downstream)
				.defaultHeaders((headers) -> headers.setBasicAuth("reader", TracedApplication.PASSWORD))
				.build();
		}

		/** Burns {@code millis} of CPU on a scheduler thread; answers the labels it ran under. */
		@GetMapping("/burn/{millis}")
		Mono<String> burn(@PathVariable long millis) {
			return Mono.fromCallable(() -> {
				Work.burnCpuTime(Duration.ofMillis(millis));
				return ProfilingLabels.current().toString();
			}).subscribeOn(Schedulers.boundedElastic());
		}

		/** Calls B from another scheduler thread and answers what it answered. */
		@GetMapping("/call/{millis}")
		Mono<String> call(@PathVariable long millis) {
			return Mono.delay(Duration.ofMillis(1))
				.publishOn(Schedulers.parallel())
				.flatMap((tick) -> this.client.get().uri("/burn/{millis}", millis).retrieve().bodyToMono(String.class));
		}

		@GetMapping("/open")
		String open() {
			return ProfilingLabels.current().toString();
		}

	}

}
