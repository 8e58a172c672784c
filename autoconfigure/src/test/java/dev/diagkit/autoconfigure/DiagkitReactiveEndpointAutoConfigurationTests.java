package dev.diagkit.autoconfigure;

import dev.diagkit.endpoint.DiagAccess;
import dev.diagkit.endpoint.DiagEndpoint;
import dev.diagkit.endpoint.ReactiveDiagEndpointExtension;
import dev.diagkit.endpoint.ReactiveDiagRequestFilter;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The diag endpoint in a WebFlux application: its extension, its filter and its reactive
 * security chain, each of which the application can replace or turn off.
 */
class DiagkitReactiveEndpointAutoConfigurationTests {

	private final ReactiveWebApplicationContextRunner contextRunner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DiagkitLabelsAutoConfiguration.class,
				DiagkitEndpointAutoConfiguration.class, DiagkitSecurityAutoConfiguration.class,
				DiagkitReactiveSecurityAutoConfiguration.class, EndpointAutoConfiguration.class,
				WebEndpointAutoConfiguration.class, ReactiveWebSecurityAutoConfiguration.class,
				ReactiveUserDetailsServiceAutoConfiguration.class))
		.withPropertyValues("management.endpoints.web.exposure.include=diag");

	@Test
	void providesTheEndpointItsExtensionFilterAndReactiveSecurityChain() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(DiagEndpoint.class)
				.hasSingleBean(ReactiveDiagEndpointExtension.class)
				.hasSingleBean(ReactiveDiagRequestFilter.class)
				.hasBean("diagkitSecurityWebFilterChain")
				.doesNotHaveBean("diagkitSecurityFilterChain");
			assertThat(context.getBean(DiagAccess.class).adminRole()).isEqualTo("DIAG_ADMIN");
		});
	}

	@Test
	void theApplicationsOwnChainOrNoneLeavesTheRolesToIt() {
		this.contextRunner.withUserConfiguration(OwnChain.class).run((context) -> {
			assertThat(context.getBean("diagkitSecurityWebFilterChain")).isSameAs(OwnChain.chain);
			assertThat(context.getBean(DiagAccess.class).adminRole()).isNull();
			assertThat(context.getBean(DiagAccess.class).network().allowsAll()).isTrue();
		});
		this.contextRunner.withPropertyValues("diagkit.security.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("diagkitSecurityWebFilterChain"));
	}

	@Test
	void withoutTheApplicationsUsersTheChainTakesBearerTokensOnly() {
		new ReactiveWebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DiagkitLabelsAutoConfiguration.class,
					DiagkitEndpointAutoConfiguration.class, DiagkitReactiveSecurityAutoConfiguration.class,
					EndpointAutoConfiguration.class, WebEndpointAutoConfiguration.class,
					ReactiveWebSecurityAutoConfiguration.class))
			.withPropertyValues("management.endpoints.web.exposure.include=diag")
			.run((context) -> assertThat(context).hasNotFailed().hasBean("diagkitSecurityWebFilterChain"));
	}

	@Test
	void springSecurityWithoutWebFluxSecurityFailsTheStartInsteadOfLeavingDiagOpen() {
		new ReactiveWebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DiagkitLabelsAutoConfiguration.class,
					DiagkitEndpointAutoConfiguration.class, DiagkitReactiveSecurityAutoConfiguration.class,
					EndpointAutoConfiguration.class, WebEndpointAutoConfiguration.class))
			.withPropertyValues("management.endpoints.web.exposure.include=diag")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("ServerHttpSecurity"));
		new ReactiveWebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DiagkitLabelsAutoConfiguration.class,
					DiagkitEndpointAutoConfiguration.class, DiagkitReactiveSecurityAutoConfiguration.class,
					EndpointAutoConfiguration.class, WebEndpointAutoConfiguration.class))
			.withPropertyValues("management.endpoints.web.exposure.include=diag", "diagkit.security.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean("diagkitSecurityWebFilterChain"));
	}

	@Test
	void withoutSpringSecurityOnlyLoopbackIsAnswered() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.security"))
			.run((context) -> {
				assertThat(context).hasSingleBean(ReactiveDiagEndpointExtension.class)
					.doesNotHaveBean("diagkitSecurityWebFilterChain");
				assertThat(context.getBean(DiagAccess.class).network().loopbackOnly()).isTrue();
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnChain {

		static SecurityWebFilterChain chain;

		@Bean
		SecurityWebFilterChain diagkitSecurityWebFilterChain(ServerHttpSecurity http) {
			chain = http.authorizeExchange((exchanges) -> exchanges.anyExchange().permitAll()).build();
			return chain;
		}

	}

}
