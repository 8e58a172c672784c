package dev.diagkit.autoconfigure;

import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.diagkit.export.ContinuousProfiler;
import dev.diagkit.endpoint.ProfilesSection;
import dev.diagkit.export.ExportEvents;
import dev.diagkit.export.LocalProfileStore;
import dev.diagkit.export.ProfileSink;
import dev.diagkit.export.PyroscopeSink;
import dev.diagkit.export.SeriesLabels;
import dev.diagkit.metrics.ContinuousProfilingMetrics;
import dev.diagkit.profiling.SamplingSettings;
import dev.diagkit.runtime.DirectoryLock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Auto-configuration of continuous profiling ({@code diagkit.profiling.continuous.enabled}):
 * the {@link ContinuousProfiler}, started once the application is ready and stopped when
 * the context closes, the sinks it feeds (every {@link ProfileSink} bean, the application's
 * included) and its meters.
 */
@AutoConfiguration(after = { DiagkitProfilingAutoConfiguration.class, DiagkitEndpointAutoConfiguration.class },
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
				"org.springframework.boot.autoconfigure.info.ProjectInfoAutoConfiguration" })
@ConditionalOnClass(name = "jdk.jfr.Recording")
@ConditionalOnDiagkitEnabled("profiling")
@ConditionalOnBooleanProperty("diagkit.profiling.continuous.enabled")
@EnableConfigurationProperties(DiagkitProfilingProperties.class)
public final class DiagkitContinuousProfilingAutoConfiguration {

	/** Instances of one service on a host that get a default directory each. */
	static final int MAX_INSTANCES_PER_HOST = 9;

	private static final Log logger = LogFactory.getLog(DiagkitContinuousProfilingAutoConfiguration.class);

	@Bean
	@ConditionalOnMissingBean
	SeriesLabels diagkitSeriesLabels(Environment environment, ObjectProvider<BuildProperties> build,
			DiagkitProfilingProperties properties) {
		Map<String, String> labels = new LinkedHashMap<>(properties.getStaticLabels());
		labels.putIfAbsent(SeriesLabels.INSTANCE, instance());
		return new SeriesLabels(serviceName(environment, build.getIfAvailable()), labels);
	}

	@Bean
	@ConditionalOnMissingBean
	ContinuousProfiler diagkitContinuousProfiler(DiagkitProfilingProperties properties,
			SamplingSettings samplingSettings, SeriesLabels seriesLabels, ObjectProvider<ProfileSink> sinks,
			ObjectProvider<ExportEvents> events) {
		DiagkitProfilingProperties.Continuous continuous = properties.getContinuous();
		List<ProfileSink> ordered = sinks.orderedStream().toList();
		return new ContinuousProfiler(new ContinuousProfiler.Settings(continuous.getPeriod(), continuous.getTypes(),
				seriesLabels, ContinuousProfiler.DEFAULT_SETTLE_TIME, continuous.getShutdownTimeout(),
				ContinuousProfiler.DEFAULT_MAX_PPROF_BYTES, continuous.getTruncatedShareWarning(),
				continuous.getMaxStacks()), samplingSettings, ordered, events.getIfAvailable(() -> ExportEvents.NONE));
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	@Conditional(OnProfileStoreCondition.class)
	LocalProfileStore diagkitLocalProfileStore(DiagkitProfilingProperties properties, SeriesLabels seriesLabels,
			ObjectProvider<ExportEvents> events) {
		DiagkitProfilingProperties.Directory directory = properties.getExport().getDirectory();
		Function<Path, LocalProfileStore> open = (path) -> new LocalProfileStore(
				LocalProfileStore.Settings.of(path)
					.withRetention(directory.getRetention())
					.withMaxBytes(directory.getMaxSize().toBytes()),
				events.getIfAvailable(() -> ExportEvents.NONE));
		Path path = directory.getPath();
		return (path != null) ? open.apply(path) : inDefaultDirectory("diagkit-profiles-", seriesLabels, open);
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	@ConditionalOnProperty("diagkit.profiling.export.pyroscope.url")
	PyroscopeSink diagkitPyroscopeSink(DiagkitProfilingProperties properties, SeriesLabels seriesLabels,
			ObjectProvider<ExportEvents> events) {
		DiagkitProfilingProperties.Pyroscope pyroscope = properties.getExport().getPyroscope();
		Function<Path, PyroscopeSink> open = (spool) -> new PyroscopeSink(pyroscopeSettings(pyroscope, spool),
				events.getIfAvailable(() -> ExportEvents.NONE));
		Path spool = pyroscope.getSpool().getDirectory();
		return (spool != null) ? open.apply(spool) : inDefaultDirectory("diagkit-spool-", seriesLabels, open);
	}

	private static PyroscopeSink.Settings pyroscopeSettings(DiagkitProfilingProperties.Pyroscope pyroscope,
			Path spool) {
		PyroscopeSink.Settings settings = PyroscopeSink.Settings
			.of(URI.create(Objects.requireNonNull(pyroscope.getUrl())), spool)
			.withTimeouts(pyroscope.getConnectTimeout(), pyroscope.getTimeout())
			.withSpoolMaxBytes(pyroscope.getSpool().getMaxSize().toBytes())
			.withHeaders(pyroscope.getHeaders())
			.withTenantId(pyroscope.getTenantId());
		if (pyroscope.getToken() != null) {
			settings = settings.withBearerToken(pyroscope.getToken());
		}
		if (pyroscope.getUsername() != null) {
			settings = settings.withBasicAuthentication(pyroscope.getUsername(),
					Objects.requireNonNullElse(pyroscope.getPassword(), ""));
		}
		return settings;
	}

	@Bean
	ContinuousProfilerLifecycle diagkitContinuousProfilerLifecycle(ContinuousProfiler profiler) {
		return new ContinuousProfilerLifecycle(profiler);
	}

	/**
	 * Opens something in its default directory, or, while other instances of the service on
	 * the same host hold that one, in the first free of {@code <default>-2} to
	 * {@code <default>-}{@value #MAX_INSTANCES_PER_HOST}: a user who starts a second instance
	 * without configuring a directory gets one, and one who configured a directory shared by
	 * two instances gets the error.
	 */
	static <T> T inDefaultDirectory(String prefix, SeriesLabels seriesLabels, Function<Path, T> open) {
		Path first = defaultDirectory(prefix, seriesLabels);
		DirectoryLock.DirectoryInUseException inUse = null;
		for (int instance = 1; instance <= MAX_INSTANCES_PER_HOST; instance++) {
			Path directory = (instance == 1) ? first : first.resolveSibling(first.getFileName() + "-" + instance);
			try {
				T opened = open.apply(directory);
				if (instance > 1) {
					logger.info(first + " is in use by another instance of the service; using " + directory);
				}
				return opened;
			}
			catch (DirectoryLock.DirectoryInUseException ex) {
				inUse = ex;
			}
		}
		throw Objects.requireNonNull(inUse);
	}

	/** A directory under the system temporary directory named for the application. */
	static Path defaultDirectory(String prefix, SeriesLabels seriesLabels) {
		String name = seriesLabels.serviceName().replaceAll("[^A-Za-z0-9_.-]", "_");
		return Path.of(System.getProperty("java.io.tmpdir"), prefix + name);
	}

	static String serviceName(Environment environment, @Nullable BuildProperties build) {
		String name = environment.getProperty("spring.application.name");
		if (StringUtils.hasText(name)) {
			return name;
		}
		if (build != null && StringUtils.hasText(build.getArtifact())) {
			return build.getArtifact();
		}
		return "application";
	}

	private static String instance() {
		String hostname = System.getenv("HOSTNAME");
		if (StringUtils.hasText(hostname)) {
			return hostname;
		}
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			return "unknown";
		}
	}

	/**
	 * Starts continuous profiling once the application is ready, so that start-up work does
	 * not compete with it, and stops it as soon as the context starts closing, so that the
	 * last window reaches the sinks while they still run.
	 */
	static final class ContinuousProfilerLifecycle implements ApplicationListener<ApplicationEvent> {

		private final ContinuousProfiler profiler;

		ContinuousProfilerLifecycle(ContinuousProfiler profiler) {
			this.profiler = profiler;
		}

		@Override
		public void onApplicationEvent(ApplicationEvent event) {
			if (event instanceof ApplicationReadyEvent) {
				this.profiler.start();
			}
			else if (event instanceof ContextClosedEvent) {
				this.profiler.close();
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterBinder.class)
	@ConditionalOnBean(MeterRegistry.class)
	@ConditionalOnBooleanProperty(name = "diagkit.metrics.profiling.enabled", matchIfMissing = true)
	static class Meters {

		@Bean
		@ConditionalOnMissingBean
		ContinuousProfilingMetrics diagkitContinuousProfilingMetrics() {
			return new ContinuousProfilingMetrics(Tags.empty());
		}

		@Bean
		MeterBinder diagkitProfileSinkSizeMetrics(ObjectProvider<PyroscopeSink> pyroscope,
				ObjectProvider<LocalProfileStore> store) {
			return (registry) -> {
				pyroscope.ifAvailable((sink) -> ContinuousProfilingMetrics
					.size("diagkit.profiling.spool.size", "Bytes of profile windows waiting in the Pyroscope spool",
							sink::spoolBytes, Tags.empty())
					.bindTo(registry));
				store.ifAvailable((local) -> ContinuousProfilingMetrics
					.size("diagkit.profiling.store.size", "Bytes of the local profile store's files",
							local::sizeBytes, Tags.empty())
					.bindTo(registry));
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnDiagEndpoint
	static class DiagSectionConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ProfilesSection diagkitProfilesSection(ObjectProvider<LocalProfileStore> store, ContinuousProfiler profiler) {
			return new ProfilesSection(store.getIfAvailable(), profiler::status, Clock.systemUTC());
		}

	}

}
