package dev.diagkit.tenantflood;

import java.util.Map;

import dev.diagkit.labels.ProfilingLabels;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * An application whose {@code /labels} is open to anyone and {@code /account/labels} needs
 * HTTP Basic; both answer the labels they ran under. Tenants come from diagkit's own header
 * resolver.
 */
@SpringBootApplication
class TenantFloodTestApplication {

	@Bean
	SecurityFilterChain chain(HttpSecurity http) throws Exception {
		return http
			.authorizeHttpRequests((requests) -> requests.requestMatchers("/account/**")
				.authenticated()
				.anyRequest()
				.permitAll())
			.httpBasic(Customizer.withDefaults())
			.build();
	}

	@Bean
	InMemoryUserDetailsManager users() {
		return new InMemoryUserDetailsManager(User.withUsername("alice").password("{noop}secret").roles("USER").build());
	}

	@RestController
	static class LabelsController {

		@GetMapping({ "/labels", "/account/labels" })
		Map<String, String> labels() {
			return ProfilingLabels.current().asMap();
		}

	}

}
