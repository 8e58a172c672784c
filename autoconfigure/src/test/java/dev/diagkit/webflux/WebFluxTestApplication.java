package dev.diagkit.webflux;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.diagkit.labels.LabelSet;
import dev.diagkit.labels.ProfilingLabels;
import dev.diagkit.trace.DiagTrace;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * A WebFlux service whose handler hops threads every way Reactor offers and reports the
 * labels it saw at each hop, behind Spring Security's default reactive chain.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import(WebFluxTestApplication.HopsController.class)
class WebFluxTestApplication {

	static final String PASSWORD = "pw-for-tests";

	/** Units of work done per tenant while {@link #counting}. */
	static final Map<String, AtomicLong> units = new ConcurrentHashMap<>();

	static final AtomicBoolean counting = new AtomicBoolean();

	@Bean
	MapReactiveUserDetailsService users() {
		return new MapReactiveUserDetailsService(
				User.withUsername("reader").password("{noop}" + PASSWORD).roles("DIAG", "USER").build());
	}

	@RestController
	static class HopsController {

		private final WebClient client;

		HopsController(WebClient.Builder builder) {
			this.client = builder.defaultHeaders((headers) -> headers.setBasicAuth("reader", PASSWORD)).build();
		}

		/**
		 * Reports the tenant seen when the handler is called, after subscribeOn, publishOn,
		 * a delay and a WebClient call, and the endpoint, separated by commas.
		 */
		@GetMapping("/hops/{port}")
		Mono<String> hops(@PathVariable int port) {
			String called = tenant();
			return Mono.fromCallable(HopsController::tenant)
				.subscribeOn(Schedulers.parallel())
				.publishOn(Schedulers.boundedElastic())
				.map((seen) -> seen + "," + tenant())
				.delayElement(Duration.ofMillis(5))
				.map((seen) -> seen + "," + tenant())
				.flatMap((seen) -> this.client.get()
					.uri("http://localhost:" + port + "/plain")
					.retrieve()
					.bodyToMono(String.class)
					.map((plain) -> seen + "," + tenant() + "|" + plain))
				.map((seen) -> called + "," + seen + "|" + ProfilingLabels.current().get("endpoint"));
		}

		/** Marks a trace region on the calling thread and on two scheduler threads. */
		@GetMapping("/regions/{id}")
		Mono<String> regions(@PathVariable String id) {
			DiagTrace.region("handler", () -> { });
			return Mono.fromCallable(() -> DiagTrace.region("on-parallel", () -> id))
				.subscribeOn(Schedulers.parallel())
				.delayElement(Duration.ofMillis(5))
				.publishOn(Schedulers.boundedElastic())
				.map((value) -> {
					DiagTrace.region("on-elastic", () -> { });
					return value;
				});
		}

		/** Answers with the labels its request ran under. */
		@GetMapping("/plain")
		String plain() {
			LabelSet labels = ProfilingLabels.current();
			return String.valueOf(labels.get("tenant"));
		}

		/**
		 * Does {@code units} units of work on a parallel scheduler thread, counted under the
		 * tenant the request names (the truth a profile is judged against) while counting.
		 */
		@GetMapping("/work/{units}")
		Mono<Long> work(@PathVariable int units, @RequestHeader("X-Tenant-ID") String tenant) {
			return Mono.fromCallable(() -> {
				long sum = 0;
				for (int i = 0; i < units; i++) {
					sum += unit();
					if (counting.get()) {
						WebFluxTestApplication.units.computeIfAbsent(tenant, (key) -> new AtomicLong()).incrementAndGet();
					}
				}
				return sum;
			}).subscribeOn(Schedulers.parallel());
		}

		/** A fixed amount of CPU work (about a millisecond), in a frame of its own. */
		static long unit() {
			long x = 0;
			for (int i = 0; i < 1_000_000; i++) {
				x += Long.numberOfTrailingZeros(x + i) ^ (x >>> 3);
			}
			return x;
		}

		private static String tenant() {
			return String.valueOf(ProfilingLabels.current().get("tenant"));
		}

	}

}
