package dev.diagkit.autoconfigure;

import dev.diagkit.endpoint.ClientRateLimiter;
import dev.diagkit.endpoint.DiagAudit;
import dev.diagkit.endpoint.DiagEndpoint;
import dev.diagkit.endpoint.NetworkAccess;
import dev.diagkit.security.DiagTokenAuthenticationProvider;
import dev.diagkit.security.ReactiveAllowedNetworksFilter;
import dev.diagkit.security.ReactiveDiagAuthorizationManager;
import dev.diagkit.security.ReactiveDiagErrorResponses;
import dev.diagkit.security.ReactiveDiagTokenAuthenticationConverter;
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
import org.springframework.boot.security.autoconfigure.actuate.web.reactive.EndpointRequest;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.AuthenticationEventPublisher;
import org.springframework.security.authentication.DefaultAuthenticationEventPublisher;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.ReactiveAuthenticationManagerAdapter;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.userdetails.ReactiveUserDetailsService;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.AuthenticationWebFilter;
import org.springframework.security.web.server.authentication.ServerAuthenticationEntryPointFailureHandler;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;

/**
 * Secures {@code /actuator/diag} on Spring WebFlux as {@link DiagkitSecurityAutoConfiguration}
 * does on Spring MVC, with a {@link SecurityWebFilterChain} of its own that covers only the
 * diag endpoint: HTTP Basic against the application's users and optional static bearer
 * tokens; the read role for reads, the admin role for mutations and captures; {@code 401}
 * with {@code WWW-Authenticate} and {@code 403} as JSON, never a redirect; optional allowed
 * networks; no session. Ordered after Spring Boot's security auto-configurations, so that the
 * application's default chain still comes up. Define a bean named
 * {@code diagkitSecurityWebFilterChain} or set {@code diagkit.security.enabled=false} to
 * secure diag yourself.
 */
@AutoConfiguration(after = DiagkitEndpointAutoConfiguration.class, afterName = {
		"org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.actuate.web.reactive.ReactiveManagementWebSecurityAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration" })
@ConditionalOnClass({ SecurityWebFilterChain.class, ServerHttpSecurity.class, EndpointRequest.class })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnDiagkitEnabled("security")
@ConditionalOnBean(DiagEndpoint.class)
@EnableConfigurationProperties({ DiagkitEndpointProperties.class, DiagkitSecurityProperties.class })
public final class DiagkitReactiveSecurityAutoConfiguration {

	@Bean
	@Order(DiagkitSecurityAutoConfiguration.ORDER)
	@ConditionalOnMissingBean(name = "diagkitSecurityWebFilterChain")
	SecurityWebFilterChain diagkitSecurityWebFilterChain(ServerHttpSecurity http, DiagkitSecurityProperties security,
			DiagkitEndpointProperties endpoint, ObjectProvider<PathMappedEndpoints> endpoints,
			ObjectProvider<AuthenticationEventPublisher> authenticationEvents, ApplicationEventPublisher events,
			ObjectProvider<DiagAudit> audit, ObjectProvider<ClientRateLimiter> rateLimiter,
			ObjectProvider<ReactiveUserDetailsService> users, ObjectProvider<ReactiveAuthenticationManager> managers) {
		ReactiveDiagErrorResponses responses = new ReactiveDiagErrorResponses(audit.getIfAvailable(),
				rateLimiter.getIfAvailable());
		http.securityMatcher(EndpointRequest.to(DiagEndpoint.class))
			.authorizeExchange((exchanges) -> exchanges.anyExchange()
				.access(new ReactiveDiagAuthorizationManager(security.getReadRole(), security.getAdminRole(),
						() -> rootPath(endpoints))))
			// Spring Security can build HTTP Basic only from the application's users (a resource
			// server, say, has none): without them bearer tokens are the way in
			.httpBasic((basic) -> {
				if (users.stream().findAny().isEmpty() && managers.stream().findAny().isEmpty()) {
					basic.disable();
				}
				else {
					basic.authenticationEntryPoint(responses);
				}
			})
			.exceptionHandling((exceptions) -> exceptions.authenticationEntryPoint(responses)
				.accessDeniedHandler(responses))
			// stateless calls authenticated on every request: no session for a forged request to ride on
			.securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
			.requestCache((cache) -> cache.requestCache(NoOpServerRequestCache.getInstance()))
			.csrf((csrf) -> csrf.disable())
			.formLogin((form) -> form.disable())
			.logout((logout) -> logout.disable())
			.addFilterAt(
					new ReactiveAllowedNetworksFilter(NetworkAccess.of(security.getAllowedNetworks(), false),
							new ClientRateLimiter(endpoint.getRequestsPerMinute(), endpoint.getBurst())),
					SecurityWebFiltersOrder.FIRST)
			.addFilterBefore(tokenAuthentication(security, responses,
					authenticationEvents.getIfAvailable(() -> new DefaultAuthenticationEventPublisher(events))),
					SecurityWebFiltersOrder.HTTP_BASIC);
		return http.build();
	}

	/**
	 * Authenticates {@code Authorization: Bearer <token>} against the configured tokens:
	 * success continues the chain, an unknown token is answered with {@code 401}, requests
	 * without a bearer token go on to HTTP Basic.
	 */
	private static AuthenticationWebFilter tokenAuthentication(DiagkitSecurityProperties security,
			ReactiveDiagErrorResponses responses, AuthenticationEventPublisher authenticationEvents) {
		ProviderManager tokens = new ProviderManager(new DiagTokenAuthenticationProvider(security.diagTokens()));
		tokens.setAuthenticationEventPublisher(authenticationEvents);
		AuthenticationWebFilter filter = new AuthenticationWebFilter(new ReactiveAuthenticationManagerAdapter(tokens));
		filter.setServerAuthenticationConverter(new ReactiveDiagTokenAuthenticationConverter());
		filter.setAuthenticationFailureHandler(new ServerAuthenticationEntryPointFailureHandler(responses));
		filter.setSecurityContextRepository(NoOpServerSecurityContextRepository.getInstance());
		return filter;
	}

	private static @Nullable String rootPath(ObjectProvider<PathMappedEndpoints> endpoints) {
		PathMappedEndpoints mapped = endpoints.getIfAvailable();
		return (mapped != null) ? mapped.getPath(EndpointId.of("diag")) : null;
	}

}
