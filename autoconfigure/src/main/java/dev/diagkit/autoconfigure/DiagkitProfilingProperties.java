package dev.diagkit.autoconfigure;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import dev.diagkit.export.ContinuousProfiler;
import dev.diagkit.profiling.ProfileType;
import dev.diagkit.profiling.SamplingSettings;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Configuration properties of profiling and of the sampling knobs the settings section
 * changes at runtime, under {@code diagkit.profiling}.
 */
@ConfigurationProperties("diagkit.profiling")
public class DiagkitProfilingProperties implements Validator {

	private static final Pattern LABEL_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*");

	/**
	 * CPU sampling interval.
	 */
	private Duration cpuInterval = Duration.ofMillis(20);

	/**
	 * Allocation samples per second.
	 */
	private int allocationSamplesPerSecond = 150;

	/**
	 * Shortest monitor wait or park that lock-contention recording keeps.
	 */
	private Duration lockThreshold = Duration.ofMillis(10);

	/**
	 * Labels added to every continuously recorded profile's series, such as env, region
	 * or version.
	 */
	private final Map<String, String> staticLabels = new LinkedHashMap<>();

	private final Continuous continuous = new Continuous();

	private final Export export = new Export();

	public Map<String, String> getStaticLabels() {
		return this.staticLabels;
	}

	public Continuous getContinuous() {
		return this.continuous;
	}

	public Export getExport() {
		return this.export;
	}

	public Duration getCpuInterval() {
		return this.cpuInterval;
	}

	public void setCpuInterval(Duration cpuInterval) {
		this.cpuInterval = cpuInterval;
	}

	public int getAllocationSamplesPerSecond() {
		return this.allocationSamplesPerSecond;
	}

	public void setAllocationSamplesPerSecond(int allocationSamplesPerSecond) {
		this.allocationSamplesPerSecond = allocationSamplesPerSecond;
	}

	public Duration getLockThreshold() {
		return this.lockThreshold;
	}

	public void setLockThreshold(Duration lockThreshold) {
		this.lockThreshold = lockThreshold;
	}

	SamplingSettings.Values toSamplingValues() {
		return new SamplingSettings.Values(this.cpuInterval, this.allocationSamplesPerSecond, this.lockThreshold);
	}

	@Override
	public boolean supports(Class<?> type) {
		return DiagkitProfilingProperties.class.isAssignableFrom(type);
	}

	@Override
	public void validate(Object target, Errors errors) {
		DiagkitProfilingProperties properties = (DiagkitProfilingProperties) target;
		PropertyChecks checks = new PropertyChecks(errors);
		checks.between("cpuInterval", properties.getCpuInterval(), SamplingSettings.MIN_CPU_INTERVAL,
				SamplingSettings.MAX_CPU_INTERVAL);
		checks.between("allocationSamplesPerSecond", properties.getAllocationSamplesPerSecond(), 0,
				SamplingSettings.MAX_ALLOCATION_SAMPLES_PER_SECOND);
		checks.between("lockThreshold", properties.getLockThreshold(), Duration.ZERO,
				SamplingSettings.MAX_LOCK_THRESHOLD);
		Continuous continuous = properties.getContinuous();
		checks.between("continuous.period", continuous.getPeriod(), ContinuousProfiler.MIN_PERIOD, Duration.ofHours(1));
		if (continuous.getTypes().isEmpty()) {
			checks.reject("continuous.types", "must name at least one of cpu, alloc, lock");
		}
		checks.between("continuous.shutdownTimeout", continuous.getShutdownTimeout(), Duration.ofMillis(100),
				Duration.ofMinutes(1));
		checks.ratio("continuous.truncatedShareWarning", continuous.getTruncatedShareWarning());
		checks.between("continuous.maxStacks", continuous.getMaxStacks(), 100, 1_000_000);
		properties.getStaticLabels().forEach((key, value) -> {
			if (!LABEL_NAME.matcher(key).matches()) {
				checks.reject("staticLabels", "'" + key + "' is not a label name: use letters, digits, '_' and '.'");
			}
			if (value.isEmpty() || value.indexOf(',') >= 0 || value.indexOf('}') >= 0) {
				checks.reject("staticLabels", "the value of '" + key + "' must be non-empty without ',' or '}'");
			}
		});
		Directory directory = properties.getExport().getDirectory();
		checks.positive("export.directory.retention", directory.getRetention());
		checks.atLeast("export.directory.maxSize", directory.getMaxSize().toBytes(), DataSize.ofMegabytes(1).toBytes());
		Pyroscope pyroscope = properties.getExport().getPyroscope();
		if (pyroscope.getUrl() != null) {
			checks.parses("export.pyroscope.url", pyroscope.getUrl(), DiagkitProfilingProperties::httpUrl);
		}
		if (pyroscope.getToken() != null && pyroscope.getUsername() != null) {
			checks.reject("export.pyroscope.token", "give a token or a username and password, not both");
		}
		checks.positive("export.pyroscope.connectTimeout", pyroscope.getConnectTimeout());
		checks.positive("export.pyroscope.timeout", pyroscope.getTimeout());
		checks.atLeast("export.pyroscope.spool.maxSize", pyroscope.getSpool().getMaxSize().toBytes(),
				DataSize.ofMegabytes(1).toBytes());
	}

	private static URI httpUrl(String url) {
		URI uri = URI.create(url);
		if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
			throw new IllegalArgumentException("must be an http or https URL, was '" + url + "'");
		}
		return uri;
	}

	/**
	 * Continuous profiling: every period of the process's life becomes a label-aware profile.
	 */
	public static final class Continuous {

		/**
		 * Whether to profile continuously from the moment the application is ready.
		 */
		private boolean enabled;

		/**
		 * How long each profile window is.
		 */
		private Duration period = Duration.ofSeconds(15);

		/**
		 * Kinds of profile made for every window: cpu, alloc, lock.
		 */
		private Set<ProfileType> types = EnumSet.of(ProfileType.CPU);

		/**
		 * Longest wait at shutdown for the last, partial window to reach the sinks.
		 */
		private Duration shutdownTimeout = Duration.ofSeconds(5);

		/**
		 * Share of a window's samples with stacks deeper than JFR records above which a
		 * warning with the JVM option to add is logged (once).
		 */
		private double truncatedShareWarning = 0.1;

		/**
		 * Most distinct stacks (with their labels) a window keeps; colder ones are folded into
		 * a '[truncated]' frame.
		 */
		private int maxStacks = 20_000;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getPeriod() {
			return this.period;
		}

		public void setPeriod(Duration period) {
			this.period = period;
		}

		public Set<ProfileType> getTypes() {
			return this.types;
		}

		public void setTypes(Set<ProfileType> types) {
			this.types = types;
		}

		public Duration getShutdownTimeout() {
			return this.shutdownTimeout;
		}

		public void setShutdownTimeout(Duration shutdownTimeout) {
			this.shutdownTimeout = shutdownTimeout;
		}

		public double getTruncatedShareWarning() {
			return this.truncatedShareWarning;
		}

		public void setTruncatedShareWarning(double truncatedShareWarning) {
			this.truncatedShareWarning = truncatedShareWarning;
		}

		public int getMaxStacks() {
			return this.maxStacks;
		}

		public void setMaxStacks(int maxStacks) {
			this.maxStacks = maxStacks;
		}

	}

	/**
	 * Where continuously recorded profiles go.
	 */
	public static final class Export {

		private final Directory directory = new Directory();

		private final Pyroscope pyroscope = new Pyroscope();

		public Directory getDirectory() {
			return this.directory;
		}

		public Pyroscope getPyroscope() {
			return this.pyroscope;
		}

	}

	/**
	 * The local profile store.
	 */
	public static final class Directory {

		/**
		 * Whether to keep profiles in the local store; by default only when no Pyroscope URL
		 * is set.
		 */
		private @Nullable Boolean enabled;

		/**
		 * Directory of the local store; by default 'diagkit-profiles-<application name>'
		 * under the system temporary directory ('-2', '-3'... appended for further instances
		 * of the service on the host).
		 */
		private @Nullable Path path;

		/**
		 * How long stored profiles are kept.
		 */
		private Duration retention = Duration.ofDays(7);

		/**
		 * Most disk space the store takes; the oldest profiles are deleted first.
		 */
		private DataSize maxSize = DataSize.ofMegabytes(256);

		public @Nullable Boolean getEnabled() {
			return this.enabled;
		}

		public void setEnabled(@Nullable Boolean enabled) {
			this.enabled = enabled;
		}

		public @Nullable Path getPath() {
			return this.path;
		}

		public void setPath(@Nullable Path path) {
			this.path = path;
		}

		public Duration getRetention() {
			return this.retention;
		}

		public void setRetention(Duration retention) {
			this.retention = retention;
		}

		public DataSize getMaxSize() {
			return this.maxSize;
		}

		public void setMaxSize(DataSize maxSize) {
			this.maxSize = maxSize;
		}

	}

	/**
	 * Shipping profiles to Pyroscope or Grafana Cloud Profiles.
	 */
	public static final class Pyroscope {

		/**
		 * Base URL of Pyroscope's ingest API, such as http://pyroscope:4040; profiles are
		 * posted to its /ingest.
		 */
		private @Nullable String url;

		/**
		 * Tenant sent as the X-Scope-OrgID header, for multi-tenant Pyroscope.
		 */
		private @Nullable String tenantId;

		/**
		 * User name for HTTP basic authentication (Grafana Cloud: the stack's user id).
		 */
		private @Nullable String username;

		/**
		 * Password for HTTP basic authentication (Grafana Cloud: an access token).
		 */
		private @Nullable String password;

		/**
		 * Bearer token sent in the Authorization header.
		 */
		private @Nullable String token;

		/**
		 * Extra HTTP headers sent with every upload.
		 */
		private final Map<String, String> headers = new LinkedHashMap<>();

		/**
		 * Longest wait to connect.
		 */
		private Duration connectTimeout = Duration.ofSeconds(5);

		/**
		 * Longest wait for an upload's response.
		 */
		private Duration timeout = Duration.ofSeconds(10);

		private final Spool spool = new Spool();

		public @Nullable String getUrl() {
			return this.url;
		}

		public void setUrl(@Nullable String url) {
			this.url = url;
		}

		public @Nullable String getTenantId() {
			return this.tenantId;
		}

		public void setTenantId(@Nullable String tenantId) {
			this.tenantId = tenantId;
		}

		public @Nullable String getUsername() {
			return this.username;
		}

		public void setUsername(@Nullable String username) {
			this.username = username;
		}

		public @Nullable String getPassword() {
			return this.password;
		}

		public void setPassword(@Nullable String password) {
			this.password = password;
		}

		public @Nullable String getToken() {
			return this.token;
		}

		public void setToken(@Nullable String token) {
			this.token = token;
		}

		public Map<String, String> getHeaders() {
			return this.headers;
		}

		public Duration getConnectTimeout() {
			return this.connectTimeout;
		}

		public void setConnectTimeout(Duration connectTimeout) {
			this.connectTimeout = connectTimeout;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public Spool getSpool() {
			return this.spool;
		}

	}

	/**
	 * Where windows wait while Pyroscope cannot take them.
	 */
	public static final class Spool {

		/**
		 * Directory of the spool; by default 'diagkit-spool-<application name>' under the
		 * system temporary directory ('-2', '-3'... appended for further instances of the
		 * service on the host).
		 */
		private @Nullable Path directory;

		/**
		 * Most disk space the spool takes; beyond it the oldest windows are dropped.
		 */
		private DataSize maxSize = DataSize.ofMegabytes(64);

		public @Nullable Path getDirectory() {
			return this.directory;
		}

		public void setDirectory(@Nullable Path directory) {
			this.directory = directory;
		}

		public DataSize getMaxSize() {
			return this.maxSize;
		}

		public void setMaxSize(DataSize maxSize) {
			this.maxSize = maxSize;
		}

	}

}
