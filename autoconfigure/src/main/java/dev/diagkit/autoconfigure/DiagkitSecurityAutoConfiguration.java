package dev.diagkit.autoconfigure;

import dev.diagkit.endpoint.ClientRateLimiter;
import dev.diagkit.endpoint.DiagAudit;
import dev.diagkit.endpoint.DiagEndpoint;
import dev.diagkit.endpoint.NetworkAccess;
import dev.diagkit.security.AllowedNetworksFilter;
import dev.diagkit.security.DiagAuthorizationManager;
import dev.diagkit.security.DiagErrorResponses;
import dev.diagkit.security.DiagTokenAuthenticationConverter;
import dev.diagkit.security.DiagTokenAuthenticationProvider;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.AuthenticationEventPublisher;
import org.springframework.security.authentication.DefaultAuthenticationEventPublisher;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationEntryPointFailureHandler;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.context.SecurityContextHolderFilter;

/**
 * Secures {@code /actuator/diag} with a chain of its own that covers only the diag endpoint
 * (on the main or the management port): HTTP Basic against the application's users and
 * optional static bearer tokens; the read role for reads, the admin role for mutations and
 * captures; {@code 401} with {@code WWW-Authenticate} and {@code 403} set directly, never a
 * redirect; optional allowed networks. Bearer tokens are authenticated through Spring
 * Security's {@link AuthenticationFilter}, and both kinds of login publish Spring Security's
 * authentication events, which Spring Boot audits as {@code AUTHENTICATION_SUCCESS} and
 * {@code AUTHENTICATION_FAILURE}. Ordered after Spring Boot's security auto-configurations,
 * so that the application's default chain still comes up, and placed early, so that no
 * catch-all chain answers diag first. Define a bean named {@code diagkitSecurityFilterChain}
 * or set {@code diagkit.security.enabled=false} to secure diag yourself.
 */
@AutoConfiguration(after = DiagkitEndpointAutoConfiguration.class,
		afterName = { "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
				"org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration" })
@ConditionalOnClass({ SecurityFilterChain.class, HttpSecurity.class, EndpointRequest.class })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnDiagkitEnabled("security")
@ConditionalOnBean(DiagEndpoint.class)
@EnableConfigurationProperties({ DiagkitEndpointProperties.class, DiagkitSecurityProperties.class })
public final class DiagkitSecurityAutoConfiguration {

	/** The order of the diag chain: ahead of the application's chains. */
	public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

	@Bean
	@Order(ORDER)
	@ConditionalOnMissingBean(name = "diagkitSecurityFilterChain")
	SecurityFilterChain diagkitSecurityFilterChain(HttpSecurity http, DiagkitSecurityProperties security,
			DiagkitEndpointProperties endpoint, ObjectProvider<PathMappedEndpoints> endpoints,
			ObjectProvider<AuthenticationEventPublisher> authenticationEvents, ApplicationEventPublisher events,
			ObjectProvider<DiagAudit> audit, ObjectProvider<ClientRateLimiter> rateLimiter) throws Exception {
		DiagErrorResponses responses = new DiagErrorResponses(audit.getIfAvailable(), rateLimiter.getIfAvailable());
		http.securityMatcher(EndpointRequest.to(DiagEndpoint.class))
			.authorizeHttpRequests((requests) -> requests.anyRequest()
				.access(new DiagAuthorizationManager(security.getReadRole(), security.getAdminRole(),
						() -> rootPath(endpoints))))
			.httpBasic((basic) -> basic.realmName("diag").authenticationEntryPoint(responses))
			.exceptionHandling((exceptions) -> exceptions.authenticationEntryPoint(responses)
				.accessDeniedHandler(responses))
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.requestCache((cache) -> cache.disable())
			// stateless calls authenticated on every request: no session for a forged request to ride on
			.csrf((csrf) -> csrf.disable())
			.formLogin((form) -> form.disable())
			.addFilterBefore(
					new AllowedNetworksFilter(NetworkAccess.of(security.getAllowedNetworks(), false),
							new ClientRateLimiter(endpoint.getRequestsPerMinute(), endpoint.getBurst())),
					SecurityContextHolderFilter.class)
			.addFilterBefore(tokenAuthentication(security, responses,
					authenticationEvents.getIfAvailable(() -> new DefaultAuthenticationEventPublisher(events))),
					BasicAuthenticationFilter.class);
		return http.build();
	}

	/**
	 * Authenticates {@code Authorization: Bearer <token>} against the configured tokens, as
	 * {@link BasicAuthenticationFilter} does for HTTP Basic: success continues the chain, an
	 * unknown token is answered with {@code 401}, requests without a bearer token go on to
	 * HTTP Basic.
	 */
	private static AuthenticationFilter tokenAuthentication(DiagkitSecurityProperties security,
			DiagErrorResponses responses, AuthenticationEventPublisher authenticationEvents) {
		ProviderManager tokens = new ProviderManager(new DiagTokenAuthenticationProvider(security.diagTokens()));
		tokens.setAuthenticationEventPublisher(authenticationEvents);
		AuthenticationFilter filter = new AuthenticationFilter(tokens, new DiagTokenAuthenticationConverter());
		filter.setSuccessHandler((request, response, authentication) -> {
		});
		filter.setFailureHandler(new AuthenticationEntryPointFailureHandler(responses));
		return filter;
	}

	private static @Nullable String rootPath(ObjectProvider<PathMappedEndpoints> endpoints) {
		PathMappedEndpoints mapped = endpoints.getIfAvailable();
		return (mapped != null) ? mapped.getPath(EndpointId.of("diag")) : null;
	}

}
