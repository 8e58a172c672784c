package dev.diagkit.autoconfigure;

import dev.diagkit.capacity.CapacitySampler;
import dev.diagkit.endpoint.CaptureGate;
import dev.diagkit.endpoint.ClientRateLimiter;
import dev.diagkit.endpoint.DiagAudit;
import dev.diagkit.endpoint.DiagEndpoint;
import dev.diagkit.endpoint.DiagLimits;
import dev.diagkit.endpoint.DiagSections;
import dev.diagkit.endpoint.NetworkAccess;
import dev.diagkit.labels.LabelPolicy;
import dev.diagkit.labels.LabelRegistry;
import dev.diagkit.profiling.ProfileRecorder;
import dev.diagkit.profiling.SamplingSettings;
import dev.diagkit.trace.TraceRecorder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.util.ClassUtils;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * Auto-configuration of the {@code /actuator/diag} endpoint ({@link DiagEndpoint}), its
 * limits, audit and the sampling knobs it reads and changes. Expose it with
 * {@code management.endpoints.web.exposure.include=diag}.
 */
@AutoConfiguration(after = { DiagkitLabelsAutoConfiguration.class, DiagkitCapacityAutoConfiguration.class })
@ConditionalOnClass({ WebEndpoint.class, DispatcherServlet.class })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnBooleanProperty(name = "diagkit.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "diagkit.endpoint.enabled", matchIfMissing = true)
@ConditionalOnAvailableEndpoint(DiagEndpoint.class)
@EnableConfigurationProperties(DiagkitProperties.class)
public final class DiagkitEndpointAutoConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(DiagkitEndpointAutoConfiguration.class);

	private static final String SECURITY_CHAIN = "diagkitSecurityFilterChain";

	private static final String SECURITY_CONFIGURATION = "dev.diagkit.autoconfigure.DiagkitSecurityAutoConfiguration";

	@Bean
	@ConditionalOnMissingBean
	SamplingSettings diagkitSamplingSettings(DiagkitProperties properties) {
		DiagkitProperties.Profiling profiling = properties.getProfiling();
		return new SamplingSettings(new SamplingSettings.Values(profiling.getCpuInterval(),
				profiling.getAllocationSamplesPerSecond(), profiling.getLockThreshold()));
	}

	@Bean
	@ConditionalOnMissingBean
	TraceRecorder diagkitTraceRecorder(SamplingSettings samplingSettings) {
		return new TraceRecorder(samplingSettings);
	}

	@Bean
	@ConditionalOnMissingBean
	ProfileRecorder diagkitProfileRecorder(SamplingSettings samplingSettings) {
		return new ProfileRecorder(samplingSettings);
	}

	@Bean
	@ConditionalOnMissingBean
	DiagLimits diagkitLimits(DiagkitProperties properties) {
		DiagkitProperties.Endpoint endpoint = properties.getEndpoint();
		return new DiagLimits(endpoint.getMaxConcurrentCaptures(), endpoint.getRequestsPerMinute(), endpoint.getBurst(),
				endpoint.getStacks().getMaxSize().toBytes(), endpoint.getTrace().getDefaultDuration(),
				endpoint.getTrace().getMaxDuration(), endpoint.getSettings().getDefaultTtl(),
				endpoint.getSettings().getMaxTtl());
	}

	@Bean
	@ConditionalOnMissingBean
	CaptureGate diagkitCaptureGate(DiagLimits limits) {
		return new CaptureGate(limits.maxConcurrentCaptures());
	}

	@Bean
	@ConditionalOnMissingBean
	ClientRateLimiter diagkitClientRateLimiter(DiagLimits limits) {
		return new ClientRateLimiter(limits.requestsPerMinute(), limits.burst());
	}

	@Bean
	@ConditionalOnMissingBean
	DiagAudit diagkitAudit(ApplicationEventPublisher publisher) {
		return new DiagAudit(publisher);
	}

	@Bean
	@ConditionalOnMissingBean
	DiagSections diagkitSections(ObjectProvider<LabelRegistry> labelRegistry, ObjectProvider<LabelPolicy> labelPolicy,
			SamplingSettings samplingSettings, TraceRecorder traceRecorder, ProfileRecorder profileRecorder,
			CaptureGate captureGate, DiagLimits limits, ObjectProvider<CapacitySampler> capacity) {
		return new DiagSections(labelRegistry.getIfAvailable(), labelPolicy.getIfAvailable(), samplingSettings,
				traceRecorder, profileRecorder, captureGate, limits, capacity.getIfAvailable());
	}

	@Bean
	@ConditionalOnMissingBean
	DiagEndpoint diagEndpoint(DiagSections sections, DiagLimits limits, ClientRateLimiter rateLimiter,
			CaptureGate captureGate, DiagClientAccess clientAccess, DiagAudit audit) {
		return new DiagEndpoint(sections, limits, rateLimiter, captureGate, clientAccess.access(),
				clientAccess.adminRole(), audit);
	}

	@Bean
	TraceAbortOnClose diagkitTraceAbortOnClose(TraceRecorder traceRecorder, ProfileRecorder profileRecorder) {
		return new TraceAbortOnClose(traceRecorder, profileRecorder);
	}

	@Bean
	@ConditionalOnMissingBean
	DiagClientAccess diagkitClientAccess(DiagkitProperties properties, ConfigurableListableBeanFactory beanFactory) {
		DiagkitProperties.Security security = properties.getSecurity();
		if (diagChainActive(beanFactory)) {
			return new DiagClientAccess(NetworkAccess.of(security.getAllowedNetworks(), false), security.getAdminRole());
		}
		if (securityChainPossible(beanFactory.getBeanClassLoader())) {
			logger.warn("diagkit's security chain for /actuator/diag is off (diagkit.security.enabled=false or a bean "
					+ "named diagkitSecurityFilterChain of the application): the application's own security decides "
					+ "who may call it");
			return new DiagClientAccess(NetworkAccess.of(security.getAllowedNetworks(), false), null);
		}
		if (security.isAllowUnauthenticatedRemote()) {
			logger.warn("Spring Security does not secure /actuator/diag and diagkit.security.allow-unauthenticated-remote "
					+ "is true: it answers {} without authentication", security.getAllowedNetworks().isEmpty()
							? "anyone who can reach it" : "clients of " + security.getAllowedNetworks());
		}
		else {
			logger.warn("Spring Security does not secure /actuator/diag (spring-boot-starter-security is not on the "
					+ "class path): it answers loopback clients only");
		}
		return new DiagClientAccess(
				NetworkAccess.of(security.getAllowedNetworks(), !security.isAllowUnauthenticatedRemote()), null);
	}

	/** Whether the diag chain is diagkit's own, auto-configured, and so checks diagkit's roles. */
	private static boolean diagChainActive(ConfigurableListableBeanFactory beanFactory) {
		return beanFactory.containsBeanDefinition(SECURITY_CHAIN)
				&& SECURITY_CONFIGURATION.equals(beanFactory.getBeanDefinition(SECURITY_CHAIN).getFactoryBeanName());
	}

	/** Whether everything diagkit's security chain needs is on the class path. */
	private static boolean securityChainPossible(@Nullable ClassLoader classLoader) {
		return ClassUtils.isPresent("org.springframework.security.web.SecurityFilterChain", classLoader)
				&& ClassUtils.isPresent("org.springframework.security.config.annotation.web.builders.HttpSecurity",
						classLoader)
				&& ClassUtils.isPresent(
						"org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest", classLoader);
	}

	/**
	 * Ends running traces and profiles as soon as the context starts closing: they would
	 * otherwise keep their requests open through the web server's graceful shutdown.
	 */
	static final class TraceAbortOnClose implements ApplicationListener<ContextClosedEvent> {

		private final TraceRecorder traceRecorder;

		private final ProfileRecorder profileRecorder;

		TraceAbortOnClose(TraceRecorder traceRecorder, ProfileRecorder profileRecorder) {
			this.traceRecorder = traceRecorder;
			this.profileRecorder = profileRecorder;
		}

		@Override
		public void onApplicationEvent(ContextClosedEvent event) {
			this.traceRecorder.close();
			this.profileRecorder.close();
		}

	}

}
