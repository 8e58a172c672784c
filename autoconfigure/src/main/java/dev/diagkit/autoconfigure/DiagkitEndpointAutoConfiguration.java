package dev.diagkit.autoconfigure;

import dev.diagkit.endpoint.CaptureGate;
import dev.diagkit.endpoint.ClientRateLimiter;
import dev.diagkit.endpoint.DiagAudit;
import dev.diagkit.endpoint.DiagEndpoint;
import dev.diagkit.endpoint.DiagLimits;
import dev.diagkit.endpoint.DiagSections;
import dev.diagkit.endpoint.NetworkAccess;
import dev.diagkit.labels.LabelPolicy;
import dev.diagkit.labels.LabelRegistry;
import dev.diagkit.profiling.SamplingSettings;
import dev.diagkit.trace.TraceRecorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * Auto-configuration of the {@code /actuator/diag} endpoint ({@link DiagEndpoint}), its
 * limits, audit and the sampling knobs it reads and changes. Expose it with
 * {@code management.endpoints.web.exposure.include=diag}.
 */
@AutoConfiguration(after = DiagkitLabelsAutoConfiguration.class)
@ConditionalOnClass({ WebEndpoint.class, DispatcherServlet.class })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnBooleanProperty(name = "diagkit.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "diagkit.endpoint.enabled", matchIfMissing = true)
@ConditionalOnAvailableEndpoint(DiagEndpoint.class)
@EnableConfigurationProperties(DiagkitProperties.class)
public final class DiagkitEndpointAutoConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(DiagkitEndpointAutoConfiguration.class);

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
			SamplingSettings samplingSettings, TraceRecorder traceRecorder, CaptureGate captureGate,
			DiagLimits limits) {
		return new DiagSections(labelRegistry.getIfAvailable(), labelPolicy.getIfAvailable(), samplingSettings,
				traceRecorder, captureGate, limits);
	}

	@Bean
	@ConditionalOnMissingBean
	DiagEndpoint diagEndpoint(DiagSections sections, DiagLimits limits, ClientRateLimiter rateLimiter,
			CaptureGate captureGate, DiagClientAccess clientAccess, DiagAudit audit) {
		return new DiagEndpoint(sections, limits, rateLimiter, captureGate, clientAccess.access(), audit);
	}

	/**
	 * Without Spring Security nothing authenticates diag callers: answer loopback only.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingClass("org.springframework.security.web.SecurityFilterChain")
	static class WithoutSpringSecurityConfiguration {

		@Bean
		DiagClientAccess diagkitClientAccess(DiagkitProperties properties) {
			DiagkitProperties.Security security = properties.getSecurity();
			if (security.isAllowUnauthenticatedRemote()) {
				logger.warn("Spring Security is not on the class path and diagkit.security.allow-unauthenticated-remote"
						+ " is true: /actuator/diag answers {} without authentication",
						security.getAllowedNetworks().isEmpty() ? "anyone who can reach it"
								: "clients of " + security.getAllowedNetworks());
			}
			else {
				logger.warn("Spring Security is not on the class path: /actuator/diag answers loopback clients only "
						+ "(add spring-boot-starter-security for authenticated remote access)");
			}
			return new DiagClientAccess(
					NetworkAccess.of(security.getAllowedNetworks(), !security.isAllowUnauthenticatedRemote()));
		}

	}

	/**
	 * With Spring Security the diag security chain checks networks and roles; if the
	 * application turned that chain off, its own security decides, within the allowed
	 * networks.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.security.web.SecurityFilterChain")
	static class WithSpringSecurityConfiguration {

		@Bean
		DiagClientAccess diagkitClientAccess(DiagkitProperties properties,
				org.springframework.core.env.Environment environment) {
			boolean chainOn = environment.getProperty("diagkit.security.enabled", Boolean.class, true);
			return new DiagClientAccess(chainOn ? NetworkAccess.of(java.util.List.of(), false)
					: NetworkAccess.of(properties.getSecurity().getAllowedNetworks(), false));
		}

	}

}
