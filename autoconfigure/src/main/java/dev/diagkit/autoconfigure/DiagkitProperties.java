package dev.diagkit.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.diagkit.labels.LabelPolicy;
import dev.diagkit.labels.LabelSet;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties for diagkit, under the {@code diagkit} prefix.
 */
@ConfigurationProperties("diagkit")
public class DiagkitProperties {

	private final Labels labels = new Labels();

	private final Endpoint endpoint = new Endpoint();

	private final Security security = new Security();

	private final Profiling profiling = new Profiling();

	private final Metrics metrics = new Metrics();

	private final Capacity capacity = new Capacity();

	public Labels getLabels() {
		return this.labels;
	}

	public Endpoint getEndpoint() {
		return this.endpoint;
	}

	public Security getSecurity() {
		return this.security;
	}

	public Profiling getProfiling() {
		return this.profiling;
	}

	public Metrics getMetrics() {
		return this.metrics;
	}

	public Capacity getCapacity() {
		return this.capacity;
	}

	/**
	 * Profiling labels.
	 */
	public static class Labels {

		/**
		 * How long a scope opened with ProfilingLabels.replace may stay open before it is
		 * reported as stale.
		 */
		private Duration staleAfter = Duration.ofMinutes(10);

		/**
		 * Labels added to every request and scheduled job, such as env or region.
		 */
		private Map<String, String> staticLabels = new LinkedHashMap<>();

		private final Policy policy = new Policy();

		private final Request request = new Request();

		public Duration getStaleAfter() {
			return this.staleAfter;
		}

		public void setStaleAfter(Duration staleAfter) {
			this.staleAfter = staleAfter;
		}

		public Map<String, String> getStaticLabels() {
			return this.staticLabels;
		}

		public void setStaticLabels(Map<String, String> staticLabels) {
			this.staticLabels = staticLabels;
		}

		public Policy getPolicy() {
			return this.policy;
		}

		public Request getRequest() {
			return this.request;
		}

		LabelSet staticLabelSet() {
			return LabelSet.of(this.staticLabels);
		}

	}

	/**
	 * Limits on labels that come from outside: request headers, job names.
	 */
	public static class Policy {

		/**
		 * Most distinct values one label key may have; later new values become the overflow
		 * value.
		 */
		private int maxValuesPerKey = 200;

		/**
		 * Longest label value kept; longer values are cut.
		 */
		private int maxValueLength = 64;

		/**
		 * Label keys that are dropped: per-request identifiers and credentials.
		 */
		private List<String> deniedKeys = new ArrayList<>(LabelPolicy.DEFAULT_DENIED_KEYS.stream().sorted().toList());

		/**
		 * Whether to redact values that look like secrets (JWTs, long hex or base64 runs,
		 * Bearer or Basic credentials).
		 */
		private boolean redactSecrets = true;

		/**
		 * Value that stands for values over a key's limit.
		 */
		private String overflowValue = "_other";

		/**
		 * Value that stands for redacted values.
		 */
		private String redactedValue = "_redacted";

		public int getMaxValuesPerKey() {
			return this.maxValuesPerKey;
		}

		public void setMaxValuesPerKey(int maxValuesPerKey) {
			this.maxValuesPerKey = maxValuesPerKey;
		}

		public int getMaxValueLength() {
			return this.maxValueLength;
		}

		public void setMaxValueLength(int maxValueLength) {
			this.maxValueLength = maxValueLength;
		}

		public List<String> getDeniedKeys() {
			return this.deniedKeys;
		}

		public void setDeniedKeys(List<String> deniedKeys) {
			this.deniedKeys = deniedKeys;
		}

		public boolean isRedactSecrets() {
			return this.redactSecrets;
		}

		public void setRedactSecrets(boolean redactSecrets) {
			this.redactSecrets = redactSecrets;
		}

		public String getOverflowValue() {
			return this.overflowValue;
		}

		public void setOverflowValue(String overflowValue) {
			this.overflowValue = overflowValue;
		}

		public String getRedactedValue() {
			return this.redactedValue;
		}

		public void setRedactedValue(String redactedValue) {
			this.redactedValue = redactedValue;
		}

		LabelPolicy toPolicy() {
			return LabelPolicy.builder()
				.maxValuesPerKey(this.maxValuesPerKey)
				.maxValueLength(this.maxValueLength)
				.deniedKeys(this.deniedKeys)
				.redactSecrets(this.redactSecrets)
				.overflowValue(this.overflowValue)
				.redactedValue(this.redactedValue)
				.build();
		}

	}

	/**
	 * Labels of HTTP requests.
	 */
	public static class Request {

		/**
		 * Header the default tenant resolver reads the tenant from.
		 */
		private String tenantHeader = "X-Tenant-ID";

		/**
		 * Tenant label of requests that name no tenant; without it such requests get no
		 * tenant label.
		 */
		private @Nullable String defaultTenant;

		public String getTenantHeader() {
			return this.tenantHeader;
		}

		public void setTenantHeader(String tenantHeader) {
			this.tenantHeader = tenantHeader;
		}

		public @Nullable String getDefaultTenant() {
			return this.defaultTenant;
		}

		public void setDefaultTenant(@Nullable String defaultTenant) {
			this.defaultTenant = defaultTenant;
		}

	}


	/**
	 * The /actuator/diag endpoint.
	 */
	public static class Endpoint {

		/**
		 * Most captures (traces, profiles) that may run at once; more are refused with 429.
		 */
		private int maxConcurrentCaptures = 1;

		/**
		 * Sustained diag calls per minute per client (principal, or address when
		 * unauthenticated); more are refused with 429.
		 */
		private int requestsPerMinute = 60;

		/**
		 * Diag calls a client may make at once before the per-minute rate applies.
		 */
		private int burst = 10;

		private final Stacks stacks = new Stacks();

		private final Trace trace = new Trace();

		private final Settings settings = new Settings();

		public int getMaxConcurrentCaptures() {
			return this.maxConcurrentCaptures;
		}

		public void setMaxConcurrentCaptures(int maxConcurrentCaptures) {
			this.maxConcurrentCaptures = maxConcurrentCaptures;
		}

		public int getRequestsPerMinute() {
			return this.requestsPerMinute;
		}

		public void setRequestsPerMinute(int requestsPerMinute) {
			this.requestsPerMinute = requestsPerMinute;
		}

		public int getBurst() {
			return this.burst;
		}

		public void setBurst(int burst) {
			this.burst = burst;
		}

		public Stacks getStacks() {
			return this.stacks;
		}

		public Trace getTrace() {
			return this.trace;
		}

		public Settings getSettings() {
			return this.settings;
		}

		/**
		 * The stacks section.
		 */
		public static class Stacks {

			/**
			 * Largest stacks answer; groups past it are left out and the answer says so.
			 */
			private DataSize maxSize = DataSize.ofMegabytes(4);

			public DataSize getMaxSize() {
				return this.maxSize;
			}

			public void setMaxSize(DataSize maxSize) {
				this.maxSize = maxSize;
			}

		}

		/**
		 * The trace section.
		 */
		public static class Trace {

			/**
			 * Length of a trace when the request gives no seconds.
			 */
			private Duration defaultDuration = Duration.ofSeconds(5);

			/**
			 * Longest trace a request may ask for.
			 */
			private Duration maxDuration = Duration.ofSeconds(60);

			public Duration getDefaultDuration() {
				return this.defaultDuration;
			}

			public void setDefaultDuration(Duration defaultDuration) {
				this.defaultDuration = defaultDuration;
			}

			public Duration getMaxDuration() {
				return this.maxDuration;
			}

			public void setMaxDuration(Duration maxDuration) {
				this.maxDuration = maxDuration;
			}

		}

		/**
		 * The settings section.
		 */
		public static class Settings {

			/**
			 * How long a change made through the settings section lasts when the request
			 * gives no ttl.
			 */
			private Duration defaultTtl = Duration.ofMinutes(10);

			/**
			 * Longest a change made through the settings section may last.
			 */
			private Duration maxTtl = Duration.ofHours(1);

			public Duration getDefaultTtl() {
				return this.defaultTtl;
			}

			public void setDefaultTtl(Duration defaultTtl) {
				this.defaultTtl = defaultTtl;
			}

			public Duration getMaxTtl() {
				return this.maxTtl;
			}

			public void setMaxTtl(Duration maxTtl) {
				this.maxTtl = maxTtl;
			}

		}

	}

	/**
	 * Who may call /actuator/diag.
	 */
	public static class Security {

		/**
		 * Role needed to read diag sections.
		 */
		private String readRole = "DIAG";

		/**
		 * Role needed for mutations and captures (gc, settings changes, traces); it also
		 * grants reads.
		 */
		private String adminRole = "DIAG_ADMIN";

		/**
		 * Static bearer tokens, stored as hashes.
		 */
		private List<Token> tokens = new ArrayList<>();

		/**
		 * Networks (CIDR, such as 10.0.0.0/8) allowed to call diag; empty allows every
		 * network. Loopback is always allowed.
		 */
		private List<String> allowedNetworks = new ArrayList<>();

		/**
		 * Whether diag answers clients other than loopback when Spring Security is not on
		 * the class path, that is without any authentication.
		 */
		private boolean allowUnauthenticatedRemote;

		public String getReadRole() {
			return this.readRole;
		}

		public void setReadRole(String readRole) {
			this.readRole = readRole;
		}

		public String getAdminRole() {
			return this.adminRole;
		}

		public void setAdminRole(String adminRole) {
			this.adminRole = adminRole;
		}

		public List<Token> getTokens() {
			return this.tokens;
		}

		public void setTokens(List<Token> tokens) {
			this.tokens = tokens;
		}

		public List<String> getAllowedNetworks() {
			return this.allowedNetworks;
		}

		public void setAllowedNetworks(List<String> allowedNetworks) {
			this.allowedNetworks = allowedNetworks;
		}

		public boolean isAllowUnauthenticatedRemote() {
			return this.allowUnauthenticatedRemote;
		}

		public void setAllowUnauthenticatedRemote(boolean allowUnauthenticatedRemote) {
			this.allowUnauthenticatedRemote = allowUnauthenticatedRemote;
		}

	}

	/**
	 * A static bearer token for diag.
	 */
	public static class Token {

		/**
		 * Name the token's calls are audited under.
		 */
		private String name = "token";

		/**
		 * Hash of the token: {sha256} followed by 64 hex digits, or {bcrypt} followed by a
		 * bcrypt hash.
		 */
		private @Nullable String hash;

		/**
		 * Roles the token grants, such as DIAG or DIAG_ADMIN.
		 */
		private List<String> roles = new ArrayList<>();

		public String getName() {
			return this.name;
		}

		public void setName(String name) {
			this.name = name;
		}

		public @Nullable String getHash() {
			return this.hash;
		}

		public void setHash(@Nullable String hash) {
			this.hash = hash;
		}

		public List<String> getRoles() {
			return this.roles;
		}

		public void setRoles(List<String> roles) {
			this.roles = roles;
		}

	}

	/**
	 * Profiling and the sampling knobs the settings section changes at runtime.
	 */
	public static class Profiling {

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

	}

	/**
	 * Micrometer meters for runtime figures Micrometer does not publish itself.
	 */
	public static class Metrics {

		/**
		 * How often the per-thread CPU scan and the label counts behind the meters are refreshed.
		 */
		private Duration refreshInterval = Duration.ofSeconds(5);

		private final NativeMemory nativeMemory = new NativeMemory();

		private final Executors executors = new Executors();

		private final LabelActivity labels = new LabelActivity();

		public Duration getRefreshInterval() {
			return this.refreshInterval;
		}

		public void setRefreshInterval(Duration refreshInterval) {
			this.refreshInterval = refreshInterval;
		}

		public NativeMemory getNativeMemory() {
			return this.nativeMemory;
		}

		public Executors getExecutors() {
			return this.executors;
		}

		public LabelActivity getLabels() {
			return this.labels;
		}

	
		/**
		 * Native memory meters.
		 */
		public static class NativeMemory {

			/**
			 * How often a native memory summary is taken for the meters.
			 */
			private Duration refreshInterval = Duration.ofSeconds(60);

			public Duration getRefreshInterval() {
				return this.refreshInterval;
			}

			public void setRefreshInterval(Duration refreshInterval) {
				this.refreshInterval = refreshInterval;
			}

		}

		/**
		 * Executor queue-wait meters.
		 */
		public static class Executors {

			/**
			 * Bucket boundaries of the queue-wait histogram.
			 */
			private List<Duration> serviceLevelObjectives = new ArrayList<>(
					List.of(Duration.ofNanos(100_000), Duration.ofNanos(500_000), Duration.ofMillis(1),
							Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100),
							Duration.ofMillis(500), Duration.ofSeconds(1)));

			public List<Duration> getServiceLevelObjectives() {
				return this.serviceLevelObjectives;
			}

			public void setServiceLevelObjectives(List<Duration> serviceLevelObjectives) {
				this.serviceLevelObjectives = serviceLevelObjectives;
			}

		}

		/**
		 * Label activity meters.
		 */
		public static class LabelActivity {

			/**
			 * Label keys whose values get a live-thread count.
			 */
			private List<String> keys = new ArrayList<>(List.of("tenant", "endpoint", "job"));

			public List<String> getKeys() {
				return this.keys;
			}

			public void setKeys(List<String> keys) {
				this.keys = keys;
			}

		}

	}

	/**
	 * The capacity report's sampling and thresholds.
	 */
	public static class Capacity {

		/**
		 * How often the capacity inputs are sampled.
		 */
		private Duration sampleInterval = Duration.ofSeconds(10);

		/**
		 * Windows over which rolling statistics are kept; verdicts use the shortest.
		 */
		private List<Duration> windows = new ArrayList<>(List.of(Duration.ofHours(1), Duration.ofHours(24)));

		private final CpuBudget cpu = new CpuBudget();

		private final MemoryBudget memory = new MemoryBudget();

		private final ThreadBudget threads = new ThreadBudget();

		private final LatencyBudget latency = new LatencyBudget();

		private final GcBudget gc = new GcBudget();

		public Duration getSampleInterval() {
			return this.sampleInterval;
		}

		public void setSampleInterval(Duration sampleInterval) {
			this.sampleInterval = sampleInterval;
		}

		public List<Duration> getWindows() {
			return this.windows;
		}

		public void setWindows(List<Duration> windows) {
			this.windows = windows;
		}

		public CpuBudget getCpu() {
			return this.cpu;
		}

		public MemoryBudget getMemory() {
			return this.memory;
		}

		public ThreadBudget getThreads() {
			return this.threads;
		}

		public LatencyBudget getLatency() {
			return this.latency;
		}

		public GcBudget getGc() {
			return this.gc;
		}

	
		/**
		 * CPU budget thresholds.
		 */
		public static class CpuBudget {

			/**
			 * GC share of CPU above which the CPU budget warns.
			 */
			private double gcShareWarn = 0.25;

			/**
			 * GC share of CPU above which the CPU budget is critical.
			 */
			private double gcShareCritical = 0.5;

			public double getGcShareWarn() {
				return this.gcShareWarn;
			}

			public void setGcShareWarn(double gcShareWarn) {
				this.gcShareWarn = gcShareWarn;
			}

			public double getGcShareCritical() {
				return this.gcShareCritical;
			}

			public void setGcShareCritical(double gcShareCritical) {
				this.gcShareCritical = gcShareCritical;
			}

		}

		/**
		 * Memory budget thresholds.
		 */
		public static class MemoryBudget {

			/**
			 * Headroom wanted above the peak working set and heap: the memory budget warns
			 * when the peak times this no longer fits the limit.
			 */
			private double headroom = 1.3;

			public double getHeadroom() {
				return this.headroom;
			}

			public void setHeadroom(double headroom) {
				this.headroom = headroom;
			}

		}

		/**
		 * Thread budget thresholds.
		 */
		public static class ThreadBudget {

			/**
			 * Headroom wanted above the p99 of threads: the thread budget warns when the p99
			 * times this no longer fits the limit.
			 */
			private double headroom = 1.5;

			/**
			 * Thread limit used when neither the cgroup nor its ancestors set a pids.max.
			 */
			private int limit = 1000;

			public double getHeadroom() {
				return this.headroom;
			}

			public void setHeadroom(double headroom) {
				this.headroom = headroom;
			}

			public int getLimit() {
				return this.limit;
			}

			public void setLimit(int limit) {
				this.limit = limit;
			}

		}

		/**
		 * Latency budget thresholds.
		 */
		public static class LatencyBudget {

			/**
			 * Executor queue-wait p99 above which the latency budget warns.
			 */
			private Duration queueWaitTarget = Duration.ofMillis(1);

			/**
			 * Threads waiting for a CPU, on average per available processor, above which the latency budget warns.
			 */
			private double runQueueWaitWarn = 0.25;

			public Duration getQueueWaitTarget() {
				return this.queueWaitTarget;
			}

			public void setQueueWaitTarget(Duration queueWaitTarget) {
				this.queueWaitTarget = queueWaitTarget;
			}

			public double getRunQueueWaitWarn() {
				return this.runQueueWaitWarn;
			}

			public void setRunQueueWaitWarn(double runQueueWaitWarn) {
				this.runQueueWaitWarn = runQueueWaitWarn;
			}

		}

		/**
		 * GC budget thresholds.
		 */
		public static class GcBudget {

			/**
			 * GC pause p99 above which the GC budget warns; the collector's own goal when not set.
			 */
			private @Nullable Duration pauseTarget;

			public @Nullable Duration getPauseTarget() {
				return this.pauseTarget;
			}

			public void setPauseTarget(@Nullable Duration pauseTarget) {
				this.pauseTarget = pauseTarget;
			}

		}

	}

}
