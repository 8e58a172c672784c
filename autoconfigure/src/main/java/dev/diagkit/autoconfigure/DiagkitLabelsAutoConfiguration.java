package dev.diagkit.autoconfigure;

import dev.diagkit.endpoint.LabelsSection;
import dev.diagkit.labels.LabelPolicy;
import dev.diagkit.labels.LabelRegistry;
import dev.diagkit.labels.MdcLabelMirror;
import org.slf4j.MDC;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of profiling labels: the {@link LabelPolicy} that guards labels from
 * outside, the {@link LabelRegistry} view of every thread's labels, optional MDC mirroring,
 * and the {@code labels} section of {@code /actuator/diag}.
 */
@AutoConfiguration(after = DiagkitEndpointAutoConfiguration.class)
@ConditionalOnDiagkitEnabled("labels")
@EnableConfigurationProperties(DiagkitLabelsProperties.class)
public final class DiagkitLabelsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	LabelPolicy diagkitLabelPolicy(DiagkitLabelsProperties properties) {
		return properties.getPolicy().toPolicy();
	}

	@Bean
	@ConditionalOnMissingBean
	LabelRegistry diagkitLabelRegistry(DiagkitLabelsProperties properties) {
		return new LabelRegistry(properties.getStaleAfter());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MDC.class)
	@ConditionalOnBooleanProperty("diagkit.labels.mdc")
	static class MdcMirrorConfiguration {

		@Bean(destroyMethod = "close")
		@ConditionalOnMissingBean
		MdcLabelMirror diagkitMdcLabelMirror() {
			return MdcLabelMirror.install();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnDiagEndpoint
	static class DiagSectionConfiguration {

		@Bean
		@ConditionalOnMissingBean
		LabelsSection diagkitLabelsSection(LabelRegistry registry, LabelPolicy policy) {
			return new LabelsSection(registry, policy);
		}

	}

}
