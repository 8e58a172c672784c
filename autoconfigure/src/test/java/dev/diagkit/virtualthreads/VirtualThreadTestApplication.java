package dev.diagkit.virtualthreads;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import dev.diagkit.labels.ProfilingLabels;

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
 * An application run with {@code spring.threads.virtual.enabled=true}: its handler reports
 * whether it ran on a virtual thread and the labels it, an {@code @Async} method and a
 * virtual thread it starts itself ran under, and burns a given number of equal units of CPU
 * work, counted per tenant while a profile is taken.
 */
@SpringBootApplication
@EnableAsync
class VirtualThreadTestApplication {

	/** Requests are open here: this application tests labels. */
	@Bean
	SecurityFilterChain openChain(HttpSecurity http) throws Exception {
		return http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
			.csrf((csrf) -> csrf.disable())
			.build();
	}

	/** Units of work done per tenant while {@link #counting} is set. */
	static final Map<String, AtomicLong> units = new ConcurrentHashMap<>();

	static final AtomicBoolean counting = new AtomicBoolean();

	static volatile long sink;

	@Component
	static class AsyncWork {

		@Async
		CompletableFuture<Map<String, Object>> labels() {
			return CompletableFuture.completedFuture(observed());
		}

	}

	@RestController
	static class WorkController {

		private final AsyncWork async;

		WorkController(AsyncWork async) {
			this.async = async;
		}

		@GetMapping("/work/{count}")
		Map<String, Object> work(@PathVariable int count) throws Exception {
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("handler", observed());
			body.put("async", this.async.labels().get());
			AtomicReference<Map<String, Object>> started = new AtomicReference<>();
			Thread thread = (Thread) Thread.class.getMethod("startVirtualThread", Runnable.class)
				.invoke(null, (Runnable) () -> started.set(observed()));
			thread.join(10_000);
			body.put("started", started.get());
			String tenant = ProfilingLabels.current().get("tenant");
			for (int i = 0; i < count; i++) {
				sink += unit();
				if (counting.get() && tenant != null) {
					units.computeIfAbsent(tenant, (key) -> new AtomicLong()).incrementAndGet();
				}
			}
			return body;
		}

	}

	/** One unit of CPU work, the same for every tenant: about a millisecond here. */
	static long unit() {
		long sum = 0;
		for (int i = 0; i < 400_000; i++) {
			sum += Long.numberOfTrailingZeros(sum + i) ^ (i * 31L);
		}
		return sum;
	}

	private static Map<String, Object> observed() {
		Map<String, Object> seen = new LinkedHashMap<>(ProfilingLabels.current().asMap());
		seen.put("virtual", isVirtual(Thread.currentThread()));
		return seen;
	}

	static boolean isVirtual(Thread thread) {
		try {
			return (boolean) Thread.class.getMethod("isVirtual").invoke(thread);
		}
		catch (ReflectiveOperationException ex) {
			return false;
		}
	}

}
