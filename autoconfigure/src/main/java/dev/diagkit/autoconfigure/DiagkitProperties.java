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

/**
 * Configuration properties for diagkit, under the {@code diagkit} prefix.
 */
@ConfigurationProperties("diagkit")
public class DiagkitProperties {

	private final Labels labels = new Labels();

	public Labels getLabels() {
		return this.labels;
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

}
