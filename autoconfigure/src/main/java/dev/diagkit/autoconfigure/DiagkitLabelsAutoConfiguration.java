package dev.diagkit.autoconfigure;

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
 * outside, the {@link LabelRegistry} view of every thread's labels, and optional MDC
 * mirroring.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "diagkit.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "diagkit.labels.enabled", matchIfMissing = true)
@EnableConfigurationProperties(DiagkitProperties.class)
public final class DiagkitLabelsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	LabelPolicy diagkitLabelPolicy(DiagkitProperties properties) {
		return properties.getLabels().getPolicy().toPolicy();
	}

	@Bean
	@ConditionalOnMissingBean
	LabelRegistry diagkitLabelRegistry(DiagkitProperties properties) {
		return new LabelRegistry(properties.getLabels().getStaleAfter());
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

}
