package dev.diagkit.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.diagkit.labels.ProfilingLabels;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.context.annotation.Bean;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.http.ResponseEntity;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A small application whose handlers report the labels they run under, on the request
 * thread and on every kind of executor.
 */
@SpringBootApplication
@EnableAsync
@EnableScheduling
class LabelledTestApplication {

	/** Requests are open here: this application tests labels, with Spring Security's filters in place. */
	@Bean
	SecurityFilterChain openChain(HttpSecurity http) throws Exception {
		return http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
			.csrf((csrf) -> csrf.disable())
			.build();
	}

	/** Reads the tenant the way a principal-based resolver would: known only after "authentication". */
	@Bean
	TenantResolver principalOrHeaderTenantResolver() {
		return (request) -> {
			Object principalTenant = request.getAttribute(PrincipalFilter.ATTRIBUTE);
			return (principalTenant != null) ? principalTenant.toString() : request.getHeader("X-Tenant-ID");
		};
	}

	/** Stands in for an authentication filter that runs after diagkit's and finds the tenant. */
	@Bean
	FilterRegistrationBean<PrincipalFilter> principalFilter() {
		FilterRegistrationBean<PrincipalFilter> registration = new FilterRegistrationBean<>(new PrincipalFilter());
		registration.setOrder(0);
		return registration;
	}

	static class PrincipalFilter extends OncePerRequestFilter {

		static final String ATTRIBUTE = "test.principal.tenant";

		@Override
		protected void doFilterInternal(HttpServletRequest request, jakarta.servlet.http.HttpServletResponse response,
				jakarta.servlet.FilterChain chain) throws jakarta.servlet.ServletException, java.io.IOException {
			String tenant = request.getHeader("X-Principal-Tenant");
			if (tenant != null) {
				request.setAttribute(ATTRIBUTE, tenant);
			}
			chain.doFilter(request, response);
		}

	}

	@Bean
	ThreadPoolTaskExecutor handBuiltExecutor() {
		ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
		executor.setThreadNamePrefix("hand-built-");
		executor.setCorePoolSize(4);
		return executor;
	}

	@Bean(destroyMethod = "shutdownNow")
	ExecutorService plainExecutor() {
		return Executors.newFixedThreadPool(4, (r) -> new Thread(r, "plain-pool"));
	}

	@Component
	static class AsyncWork {

		@Async
		CompletableFuture<Map<String, String>> labels() {
			return CompletableFuture.completedFuture(ProfilingLabels.current().asMap());
		}

	}

	@Component
	static class Jobs {

		final List<Map<String, String>> seen = new CopyOnWriteArrayList<>();

		@Scheduled(fixedDelay = 100)
		void sweep() {
			this.seen.add(ProfilingLabels.current().asMap());
		}

	}

	@RestController
	static class OrdersController {

		private final AsyncWork async;

		private final ThreadPoolTaskExecutor handBuilt;

		private final ExecutorService plain;

		OrdersController(AsyncWork async, @Qualifier("handBuiltExecutor") ThreadPoolTaskExecutor handBuilt,
				@Qualifier("plainExecutor") ExecutorService plain) {
			this.async = async;
			this.handBuilt = handBuilt;
			this.plain = plain;
		}

		@GetMapping("/orders/{id}")
		Map<String, Object> order(@PathVariable String id) throws Exception {
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("id", id);
			body.put("controller", ProfilingLabels.current().asMap());
			body.put("async", this.async.labels().get());
			body.put("handBuilt", this.handBuilt.submit(() -> ProfilingLabels.current().asMap()).get());
			body.put("plain", this.plain.submit(() -> ProfilingLabels.current().asMap()).get());
			return body;
		}

		@GetMapping("/callable")
		Callable<Map<String, String>> callable() {
			return () -> ProfilingLabels.current().asMap();
		}

		@RequestMapping(path = "/boom", method = { org.springframework.web.bind.annotation.RequestMethod.GET,
				org.springframework.web.bind.annotation.RequestMethod.POST })
		String boom() {
			throw new IllegalStateException("boom");
		}

	}

	@RestController
	static class LabelsErrorController implements ErrorController {

		@RequestMapping("/error")
		ResponseEntity<Map<String, String>> error(HttpServletRequest request) {
			Object status = request.getAttribute("jakarta.servlet.error.status_code");
			HttpStatus code = (status instanceof Integer i) ? HttpStatus.valueOf(i) : HttpStatus.INTERNAL_SERVER_ERROR;
			return ResponseEntity.status(code).body(ProfilingLabels.current().asMap());
		}

	}

}
