package dev.diagkit.endpoint;

import org.springframework.boot.actuate.audit.AuditEventRepository;
import org.springframework.boot.actuate.audit.InMemoryAuditEventRepository;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * An application with users of every kind, an audit repository, and a page of its own that
 * Spring Boot's default security chain protects.
 */
@SpringBootApplication
class DiagTestApplication {

	static final String PASSWORD = "pw-for-tests";

	@Bean
	UserDetailsService users() {
		return new InMemoryUserDetailsManager(
				User.withUsername("reader").password("{noop}" + PASSWORD).roles("DIAG").build(),
				User.withUsername("admin").password("{noop}" + PASSWORD).roles("DIAG_ADMIN").build(),
				User.withUsername("user").password("{noop}" + PASSWORD).roles("USER").build());
	}

	@Bean
	AuditEventRepository auditEventRepository() {
		return new InMemoryAuditEventRepository();
	}

	@RestController
	static class HelloController {

		@GetMapping("/hello")
		String hello() {
			return "hello";
		}

		/**
		 * A page that costs several milliseconds of CPU in its controller, in pure Java: scopes
		 * of 5 ms and more are what jdk.ExecutionSample attributes reliably.
		 */
		@GetMapping("/work")
		String work() {
			long x = System.nanoTime();
			for (int i = 0; i < 10_000_000; i++) {
				x += Long.numberOfTrailingZeros(x + i) ^ (x >>> 7);
			}
			return Long.toString(x);
		}

	}

}
