package dev.diagkit.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.diagkit.endpoint.CaptureGate;
import dev.diagkit.endpoint.ClientRateLimiter;
import dev.diagkit.endpoint.DiagAccess;
import dev.diagkit.endpoint.ClientDisconnects;
import dev.diagkit.endpoint.DiagAudit;
import dev.diagkit.endpoint.PauseBudget;
import dev.diagkit.endpoint.ReactiveDiagEndpointExtension;
import dev.diagkit.endpoint.ReactiveDiagRequestFilter;
import dev.diagkit.endpoint.DiagEndpoint;
import dev.diagkit.endpoint.DiagSectionHandler;
import dev.diagkit.endpoint.GcSection;
import dev.diagkit.endpoint.MetricsSection;
import dev.diagkit.endpoint.NativeSection;
import dev.diagkit.endpoint.NetworkAccess;
import dev.diagkit.endpoint.StacksSection;
import dev.diagkit.labels.LabelRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.context.reactive.ConfigurableReactiveWebEnvironment;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Auto-configuration of the {@code /actuator/diag} endpoint ({@link DiagEndpoint}), its
 * limits and audit, and the sections that belong to the endpoint itself ({@code stacks},
 * {@code metrics}, {@code gc}, {@code native}); each other capability's auto-configuration
 * contributes its own sections as {@link DiagSectionHandler} beans. Expose it with
 * {@code management.endpoints.web.exposure.include=diag}.
 */
@AutoConfiguration
@ConditionalOnClass(WebEndpoint.class)
@ConditionalOnWebApplication
@ConditionalOnDiagkitEnabled("endpoint")
@ConditionalOnAvailableEndpoint(DiagEndpoint.class)
@EnableConfigurationProperties({ DiagkitEndpointProperties.class, DiagkitSecurityProperties.class })
public final class DiagkitEndpointAutoConfiguration {

	private static final Log logger = LogFactory.getLog(DiagkitEndpointAutoConfiguration.class);

	/** diagkit's diag chains, by the bean names that replace them, on Spring MVC and WebFlux. */
	private static final Map<String, String> SECURITY_CHAINS = Map.of("diagkitSecurityFilterChain",
			"dev.diagkit.autoconfigure.DiagkitSecurityAutoConfiguration", "diagkitSecurityWebFilterChain",
			"dev.diagkit.autoconfigure.DiagkitReactiveSecurityAutoConfiguration");

	@Bean
	@ConditionalOnMissingBean
	CaptureGate diagkitCaptureGate(DiagkitEndpointProperties properties) {
		return new CaptureGate(properties.getMaxConcurrentCaptures());
	}

	@Bean
	@ConditionalOnMissingBean
	ClientRateLimiter diagkitClientRateLimiter(DiagkitEndpointProperties properties) {
		return new ClientRateLimiter(properties.getRequestsPerMinute(), properties.getBurst());
	}

	@Bean
	@ConditionalOnMissingBean
	DiagAudit diagkitAudit(ApplicationEventPublisher publisher) {
		return new DiagAudit(publisher);
	}

	@Bean
	@ConditionalOnMissingBean
	ClientDisconnects diagkitClientDisconnects() {
		return new ClientDisconnects();
	}

	@Bean
	@ConditionalOnMissingBean
	DiagEndpoint diagEndpoint(ObjectProvider<DiagSectionHandler> sections, DiagAccess access,
			ClientRateLimiter rateLimiter, CaptureGate captureGate, DiagAudit audit, ClientDisconnects disconnects) {
		// the application's handlers first: one of its own replaces diagkit's for that section
		Map<Boolean, List<DiagSectionHandler>> byOwner = sections.orderedStream()
			.collect(Collectors.partitioningBy((section) -> section.getClass().getPackageName()
				.equals(DiagEndpoint.class.getPackageName())));
		List<DiagSectionHandler> handlers = new ArrayList<>(byOwner.get(false));
		handlers.addAll(byOwner.get(true));
		return new DiagEndpoint(handlers, access, rateLimiter, captureGate, audit, disconnects);
	}

	@Bean
	@ConditionalOnMissingBean
	StacksSection diagkitStacksSection(ObjectProvider<LabelRegistry> labelRegistry,
			DiagkitEndpointProperties properties) {
		return new StacksSection(labelRegistry.getIfAvailable(), properties.getStacks().getMaxSize().toBytes(),
				new PauseBudget(properties.getStacks().getMaxPerMinute()));
	}

	@Bean
	@ConditionalOnMissingBean
	MetricsSection diagkitMetricsSection() {
		return new MetricsSection();
	}

	@Bean
	@ConditionalOnMissingBean
	GcSection diagkitGcSection() {
		return new GcSection();
	}

	@Bean
	@ConditionalOnMissingBean
	NativeSection diagkitNativeSection() {
		return new NativeSection();
	}

	@Bean
	@ConditionalOnMissingBean
	DiagAccess diagkitAccess(DiagkitSecurityProperties security, ConfigurableListableBeanFactory beanFactory,
			Environment environment) {
		if (ManagementPortType.get(environment) == ManagementPortType.SAME) {
			logger.warn("/actuator/diag is served on the application's own port, where its public traffic arrives; set "
					+ "management.server.port (and management.server.address to a private interface) to serve it "
					+ "apart, as Go's guidance for /debug/pprof advises");
		}
		if (diagChainActive(beanFactory)) {
			return new DiagAccess(NetworkAccess.of(security.getAllowedNetworks(), false), security.getAdminRole());
		}
		if (securityChainPossible(beanFactory, environment instanceof ConfigurableReactiveWebEnvironment)) {
			logger.warn("diagkit's security chain for /actuator/diag is off (diagkit.security.enabled=false or a bean "
					+ "named diagkitSecurityFilterChain of the application): the application's own security decides "
					+ "who may call it");
			return new DiagAccess(NetworkAccess.of(security.getAllowedNetworks(), false), null);
		}
		if (security.isAllowUnauthenticatedRemote()) {
			logger.warn("Spring Security does not secure /actuator/diag and diagkit.security.allow-unauthenticated-remote "
					+ "is true: it answers " + (security.getAllowedNetworks().isEmpty() ? "anyone who can reach it"
							: "clients of " + security.getAllowedNetworks())
					+ " without authentication");
		}
		else {
			logger.warn("Spring Security does not secure /actuator/diag (spring-boot-starter-security is not on the "
					+ "class path): it answers loopback clients only");
		}
		return new DiagAccess(
				NetworkAccess.of(security.getAllowedNetworks(), !security.isAllowUnauthenticatedRemote()), null);
	}

	/**
	 * The endpoint on Spring WebFlux: its operations answer through the extension, which
	 * finds the exchange in the Reactor context the filter fills.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.web.reactive.DispatcherHandler")
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
	static class ReactiveEndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ReactiveDiagEndpointExtension diagEndpointReactiveExtension(DiagEndpoint endpoint) {
			return new ReactiveDiagEndpointExtension(endpoint);
		}

		@Bean
		@ConditionalOnMissingBean
		ReactiveDiagRequestFilter diagkitReactiveRequestFilter(PathMappedEndpoints endpoints,
				ObjectProvider<ClientRateLimiter> rateLimiter) {
			String path = endpoints.getPath(EndpointId.of("diag"));
			return new ReactiveDiagRequestFilter((path != null) ? path : "/actuator/diag", rateLimiter.getIfAvailable());
		}

	}

	/** Whether the diag chain is diagkit's own, auto-configured, and so checks diagkit's roles. */
	private static boolean diagChainActive(ConfigurableListableBeanFactory beanFactory) {
		return SECURITY_CHAINS.entrySet()
			.stream()
			.anyMatch((chain) -> beanFactory.containsBeanDefinition(chain.getKey()) && chain.getValue()
				.equals(beanFactory.getBeanDefinition(chain.getKey()).getFactoryBeanName()));
	}

	/** Whether everything diagkit's security chain needs is on the class path. */
	private static boolean securityChainPossible(ConfigurableListableBeanFactory beanFactory, boolean reactive) {
		ClassLoader classLoader = beanFactory.getBeanClassLoader();
		if (reactive) {
			return ClassUtils.isPresent("org.springframework.security.web.server.SecurityWebFilterChain", classLoader)
					&& ClassUtils.isPresent(
							"org.springframework.boot.security.autoconfigure.actuate.web.reactive.EndpointRequest",
							classLoader);
		}
		return ClassUtils.isPresent("org.springframework.security.web.SecurityFilterChain", classLoader)
				&& ClassUtils.isPresent("org.springframework.security.config.annotation.web.builders.HttpSecurity",
						classLoader)
				&& ClassUtils.isPresent(
						"org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest", classLoader);
	}

}
