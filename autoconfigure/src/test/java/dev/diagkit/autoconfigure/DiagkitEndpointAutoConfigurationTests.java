package dev.diagkit.autoconfigure;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.diagkit.endpoint.DiagAccess;
import dev.diagkit.endpoint.DiagEndpoint;
import dev.diagkit.endpoint.DiagRequest;
import dev.diagkit.endpoint.DiagSection;
import dev.diagkit.endpoint.DiagSectionHandler;
import dev.diagkit.endpoint.StacksSection;
import dev.diagkit.trace.TraceRecorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.ResponseEntity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class DiagkitEndpointAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DiagkitLabelsAutoConfiguration.class,
				DiagkitEndpointAutoConfiguration.class, DiagkitProfilingAutoConfiguration.class,
				DiagkitSecurityAutoConfiguration.class,
				EndpointAutoConfiguration.class, WebEndpointAutoConfiguration.class, SecurityAutoConfiguration.class,
				ServletWebSecurityAutoConfiguration.class, UserDetailsServiceAutoConfiguration.class))
		.withPropertyValues("management.endpoints.web.exposure.include=diag");

	@Test
	void providesTheEndpointAndItsSecurityChain() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(DiagEndpoint.class)
			.hasSingleBean(TraceRecorder.class)
			.hasBean("diagkitSecurityFilterChain"));
	}

	@Test
	void backsOffWhenNotExposedOrDisabled() {
		new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DiagkitEndpointAutoConfiguration.class, EndpointAutoConfiguration.class,
					WebEndpointAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(DiagEndpoint.class));
		this.contextRunner.withPropertyValues("diagkit.endpoint.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(DiagEndpoint.class)
				.doesNotHaveBean("diagkitSecurityFilterChain"));
		this.contextRunner.withPropertyValues("diagkit.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(DiagEndpoint.class));
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void warnsOnceWhenDiagSharesTheApplicationsPort(CapturedOutput output) {
		String advice = "/actuator/diag is served on the application's own port";
		this.contextRunner.withPropertyValues("management.server.port=9191").run((context) -> {
			assertThat(context).hasSingleBean(DiagEndpoint.class);
			assertThat(output).doesNotContain(advice);
		});
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(DiagEndpoint.class);
			assertThat(output.toString().split(java.util.regex.Pattern.quote(advice), -1)).hasSize(2);
			assertThat(output).contains("management.server.port");
		});
	}

	@Test
	void backsOffWithoutActuator() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(WebEndpoint.class))
			.run((context) -> assertThat(context).doesNotHaveBean(DiagEndpoint.class));
	}

	@Test
	void securityChainBacksOffWhenDisabledOrReplaced() {
		this.contextRunner.withPropertyValues("diagkit.security.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(DiagEndpoint.class)
				.doesNotHaveBean("diagkitSecurityFilterChain"));
		this.contextRunner.withUserConfiguration(UserChain.class)
			.run((context) -> assertThat(context.getBean("diagkitSecurityFilterChain"))
				.isSameAs(context.getBean(UserChain.class).chain));
	}

	@Test
	void withoutSpringSecurityTheEndpointStillComesUp() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.security"))
			.run((context) -> assertThat(context).hasSingleBean(DiagEndpoint.class)
				.doesNotHaveBean("diagkitSecurityFilterChain")
				.getBean(DiagAccess.class)
				.satisfies((access) -> assertThat(access.network().allows("203.0.113.1", "192.0.2.10")).isFalse()));
	}

	@Test
	void springSecurityWithoutBootsSecurityModuleStaysLoopbackOnly() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(
				org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest.class))
			.run((context) -> assertThat(context).doesNotHaveBean("diagkitSecurityFilterChain")
				.getBean(DiagAccess.class)
				.satisfies((access) -> {
					assertThat(access.network().loopbackOnly()).isTrue();
					assertThat(access.adminRole()).isNull();
				}));
	}

	@Test
	void allowedNetworksStillApplyWhenTheApplicationReplacesTheChain() {
		this.contextRunner.withUserConfiguration(UserChain.class)
			.withPropertyValues("diagkit.security.allowed-networks=10.0.0.0/8")
			.run((context) -> assertThat(context.getBean(DiagAccess.class).network().allows("203.0.113.1",
					"192.0.2.10"))
				.isFalse());
		this.contextRunner.run((context) -> assertThat(context.getBean(DiagAccess.class).adminRole())
			.isEqualTo("DIAG_ADMIN"));
	}

	@Test
	void runningTraceEndsWhenTheContextCloses() {
		this.contextRunner.run((context) -> {
			TraceRecorder recorder = context.getBean(TraceRecorder.class);
			CompletableFuture<Throwable> outcome = CompletableFuture.supplyAsync(() -> {
					try {
						recorder.record(Duration.ofMinutes(5), "default");
						return null;
					}
					catch (Exception ex) {
						return ex;
					}
				});
			await().atMost(Duration.ofSeconds(10)).until(() -> recorder.running() > 0 || outcome.isDone());
			context.close();
			assertThat(outcome.get(30, TimeUnit.SECONDS)).isInstanceOf(IOException.class)
				.hasMessageContaining("shutting down");
			assertThat(recorder.running()).isZero();
		});
	}

	@Test
	void aSectionHandlerOfTheApplicationReplacesDiagkitsForItsSection() {
		this.contextRunner.withUserConfiguration(UserStacks.class).run((context) -> {
			WebEndpointResponse<?> stacks = context.getBean(DiagEndpoint.class)
				.read("stacks", null, null, null, null, null, null, null, null, null, SecurityContext.NONE);
			assertThat(stacks.getBody()).isEqualTo("the application's own stacks");
			assertThat(context).hasSingleBean(StacksSection.class);
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class UserStacks {

		@Bean
		DiagSectionHandler applicationStacks() {
			return new DiagSectionHandler() {

				@Override
				public DiagSection section() {
					return DiagSection.STACKS;
				}

				@Override
				public ResponseEntity<?> read(DiagRequest request) {
					return ResponseEntity.ok("the application's own stacks");
				}

			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserChain {

		SecurityFilterChain chain;

		@Bean
		SecurityFilterChain diagkitSecurityFilterChain(HttpSecurity http) throws Exception {
			this.chain = http.securityMatcher("/actuator/diag/**")
				.authorizeHttpRequests((requests) -> requests.anyRequest().denyAll())
				.build();
			return this.chain;
		}

	}

}
