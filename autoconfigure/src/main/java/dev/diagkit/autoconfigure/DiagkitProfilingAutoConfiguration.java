package dev.diagkit.autoconfigure;

import java.util.List;

import dev.diagkit.endpoint.AnalysisSection;
import dev.diagkit.endpoint.CaptureDurations;
import dev.diagkit.endpoint.DiagAudit;
import dev.diagkit.endpoint.CaptureGate;
import dev.diagkit.endpoint.ProfileSection;
import dev.diagkit.endpoint.SettingsSection;
import dev.diagkit.endpoint.TraceSection;
import dev.diagkit.profiling.ProfileRecorder;
import dev.diagkit.profiling.SamplingSettings;
import dev.diagkit.trace.MethodTiming;
import dev.diagkit.trace.TraceAnalyzer;
import dev.diagkit.trace.TraceRecorder;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.util.ClassUtils;

/**
 * Auto-configuration of profiling: the sampling knobs ({@link SamplingSettings}), label-aware
 * profiles ({@link ProfileRecorder}) and JFR traces ({@link TraceRecorder}), whether or not
 * {@code /actuator/diag} is exposed, and the {@code trace}, {@code profile} and
 * {@code settings} sections of the endpoint when it is.
 */
@AutoConfiguration(after = DiagkitEndpointAutoConfiguration.class)
@ConditionalOnClass(name = "jdk.jfr.Recording")
@ConditionalOnDiagkitEnabled("profiling")
@EnableConfigurationProperties({ DiagkitProfilingProperties.class, DiagkitTraceProperties.class })
public final class DiagkitProfilingAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	SamplingSettings diagkitSamplingSettings(DiagkitProfilingProperties properties) {
		return new SamplingSettings(properties.toSamplingValues());
	}

	@Bean
	@ConditionalOnMissingBean
	TraceRecorder diagkitTraceRecorder(SamplingSettings samplingSettings) {
		return new TraceRecorder(samplingSettings);
	}

	@Bean
	@ConditionalOnMissingBean
	MethodTiming diagkitMethodTiming(DiagkitTraceProperties properties, BeanFactory beanFactory) {
		DiagkitTraceProperties.MethodTiming timing = properties.getMethodTiming();
		List<String> packages = timing.getAllowedPackages();
		if (packages.isEmpty() && AutoConfigurationPackages.has(beanFactory)) {
			packages = AutoConfigurationPackages.get(beanFactory);
		}
		ClassLoader classLoader = (beanFactory instanceof ConfigurableBeanFactory configurable
				&& configurable.getBeanClassLoader() != null) ? configurable.getBeanClassLoader()
						: ClassUtils.getDefaultClassLoader();
		return new MethodTiming(packages, timing.getMaxMethods(), classLoader);
	}

	@Bean
	@ConditionalOnMissingBean
	TraceAnalyzer diagkitTraceAnalyzer(DiagkitTraceProperties properties) {
		return new TraceAnalyzer(properties.getAnalysis().getUnaccountedShare(), properties.getAnalysis().isJmcRules());
	}

	@Bean
	@ConditionalOnMissingBean
	ProfileRecorder diagkitProfileRecorder(SamplingSettings samplingSettings) {
		return new ProfileRecorder(samplingSettings);
	}

	@Bean
	RecordingsEndOnClose diagkitRecordingsEndOnClose(TraceRecorder traceRecorder, ProfileRecorder profileRecorder) {
		return new RecordingsEndOnClose(traceRecorder, profileRecorder);
	}

	/**
	 * Ends running traces and profiles as soon as the context starts closing: they would
	 * otherwise keep their requests open through the web server's graceful shutdown.
	 */
	static final class RecordingsEndOnClose implements ApplicationListener<ContextClosedEvent> {

		private final TraceRecorder traceRecorder;

		private final ProfileRecorder profileRecorder;

		RecordingsEndOnClose(TraceRecorder traceRecorder, ProfileRecorder profileRecorder) {
			this.traceRecorder = traceRecorder;
			this.profileRecorder = profileRecorder;
		}

		@Override
		public void onApplicationEvent(ContextClosedEvent event) {
			this.traceRecorder.close();
			this.profileRecorder.close();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnDiagEndpoint
	static class DiagSectionConfiguration {

		@Bean
		@ConditionalOnMissingBean
		TraceSection diagkitTraceSection(TraceRecorder recorder, CaptureGate captureGate,
				DiagkitEndpointProperties properties, MethodTiming methodTiming) {
			return new TraceSection(recorder, captureGate, captureDurations(properties),
					properties.getTrace().getMaxSize().toBytes(), methodTiming);
		}

		@Bean
		@ConditionalOnMissingBean
		AnalysisSection diagkitAnalysisSection(TraceRecorder recorder, CaptureGate captureGate,
				DiagkitEndpointProperties properties, MethodTiming methodTiming, TraceAnalyzer analyzer) {
			return new AnalysisSection(recorder, captureGate, captureDurations(properties),
					properties.getTrace().getMaxSize().toBytes(), methodTiming, analyzer);
		}

		@Bean
		@ConditionalOnMissingBean
		ProfileSection diagkitProfileSection(ProfileRecorder recorder, CaptureGate captureGate,
				DiagkitEndpointProperties properties) {
			return new ProfileSection(recorder, captureGate, captureDurations(properties));
		}

		@Bean
		@ConditionalOnMissingBean
		SettingsSection diagkitSettingsSection(SamplingSettings sampling, DiagkitEndpointProperties properties,
				ObjectProvider<DiagAudit> audit) {
			DiagkitEndpointProperties.Settings settings = properties.getSettings();
			return new SettingsSection(sampling, settings.getDefaultTtl(), settings.getMaxTtl(), audit.getIfAvailable());
		}

		private static CaptureDurations captureDurations(DiagkitEndpointProperties properties) {
			return new CaptureDurations(properties.getTrace().getDefaultDuration(),
					properties.getTrace().getMaxDuration());
		}

	}

}
