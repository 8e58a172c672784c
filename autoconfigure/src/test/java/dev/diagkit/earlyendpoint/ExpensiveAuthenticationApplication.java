package dev.diagkit.earlyendpoint;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.diagkit.labels.ProfilingLabels;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * An application whose every request is authenticated with HTTP Basic against bcrypt
 * hashes: most of a request's CPU is spent in Spring Security's filters, before any
 * handler runs.
 */
@SpringBootApplication
class ExpensiveAuthenticationApplication {

	static final String PASSWORD = "pw-for-tests";

	/** Requests with this header have their endpoint label recorded before security runs. */
	static final String RECORD_HEADER = "X-Record-Early-Endpoint";

	/** The {@code endpoint} label Spring Security's filters ran under, by the header's value. */
	static final Map<String, String> EARLY_ENDPOINTS = new ConcurrentHashMap<>();

	@Bean
	FilterRegistrationBean<OncePerRequestFilter> earlyEndpointRecorder() {
		FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(
				new OncePerRequestFilter() {

					@Override
					protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
							FilterChain chain) throws ServletException, IOException {
						String key = request.getHeader(RECORD_HEADER);
						if (key != null) {
							String endpoint = ProfilingLabels.current().get("endpoint");
							EARLY_ENDPOINTS.put(key, (endpoint != null) ? endpoint : "none");
						}
						chain.doFilter(request, response);
					}

				});
		// after diagkit's filters, before Spring Security's chain (-100)
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 50);
		return registration;
	}

	@Bean
	PasswordEncoder passwordEncoder() {
		return new BCryptPasswordEncoder(10);
	}

	@Bean
	UserDetailsService users(PasswordEncoder encoder) {
		String hash = encoder.encode(PASSWORD);
		return new InMemoryUserDetailsManager(User.withUsername("user").password(hash).roles("USER").build(),
				User.withUsername("admin").password(hash).roles("DIAG_ADMIN").build());
	}

	@Bean
	@Order(Ordered.LOWEST_PRECEDENCE)
	SecurityFilterChain application(HttpSecurity http) throws Exception {
		return http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
			.httpBasic(Customizer.withDefaults())
			.build();
	}

	@RestController
	static class OrdersController {

		@GetMapping("/orders/{id}")
		String order(@PathVariable String id) {
			return "order " + id;
		}

	}

}
