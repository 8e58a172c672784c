package dev.diagkit.trace;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Spring MVC application whose requests mark regions on the request thread, in an
 * {@code @Async} method and in an asynchronous ({@link Callable}) handler.
 */
@SpringBootApplication
@EnableAsync
class TracedMvcApplication {

	@Bean
	SecurityFilterChain openChain(HttpSecurity http) throws Exception {
		return http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
			.csrf((csrf) -> csrf.disable())
			.build();
	}

	@Component
	static class Pricing {

		@Async
		CompletableFuture<String> price(String id) {
			return CompletableFuture.completedFuture(DiagTrace.region("async-price", () -> id + ":42"));
		}

	}

	@RestController
	static class OrdersController {

		private final Pricing pricing;

		OrdersController(Pricing pricing) {
			this.pricing = pricing;
		}

		@GetMapping("/orders/{id}")
		String order(@PathVariable String id) throws Exception {
			DiagTrace.region("load", () -> sleep(5));
			DiagTrace.log("orders", "loaded " + id);
			return this.pricing.price(id).get();
		}

		@GetMapping("/later")
		Callable<String> later() {
			DiagTrace.region("before-callable", () -> { });
			return () -> DiagTrace.region("in-callable", () -> {
				sleep(30);
				return "done";
			});
		}

		private static void sleep(long millis) {
			try {
				Thread.sleep(millis);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

	}

}
