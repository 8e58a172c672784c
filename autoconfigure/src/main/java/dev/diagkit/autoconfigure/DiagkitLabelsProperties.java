package dev.diagkit.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.diagkit.labels.LabelPolicy;
import dev.diagkit.labels.LabelSet;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Configuration properties of profiling labels, under {@code diagkit.labels}.
 */
@ConfigurationProperties("diagkit.labels")
public class DiagkitLabelsProperties implements Validator {

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

	LabelSet staticLabelSet() {
		return LabelSet.of(this.staticLabels);
	}

	@Override
	public boolean supports(Class<?> type) {
		return DiagkitLabelsProperties.class.isAssignableFrom(type);
	}

	@Override
	public void validate(Object target, Errors errors) {
		DiagkitLabelsProperties properties = (DiagkitLabelsProperties) target;
		PropertyChecks checks = new PropertyChecks(errors);
		checks.positive("staleAfter", properties.getStaleAfter());
		checks.parses("staticLabels", properties.getStaticLabels(), LabelSet::of);
		Policy policy = properties.getPolicy();
		checks.atLeast("policy.maxValuesPerKey", policy.getMaxValuesPerKey(), 1);
		checks.atLeast("policy.maxValueLength", policy.getMaxValueLength(), 1);
		checks.positive("policy.valueTtl", policy.getValueTtl());
		checks.hasText("policy.overflowValue", policy.getOverflowValue());
		checks.hasText("policy.redactedValue", policy.getRedactedValue());
	}

	/**
	 * Limits on labels that come from outside: request headers, job names.
	 */
	public static class Policy {

		/**
		 * Most distinct recently seen values one label key may have; a new value that finds
		 * no free place becomes the overflow value.
		 */
		private int maxValuesPerKey = 200;

		/**
		 * How long a label value may go unseen before it frees its place among its key's
		 * distinct values.
		 */
		private Duration valueTtl = Duration.ofMinutes(10);

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

		public Duration getValueTtl() {
			return this.valueTtl;
		}

		public void setValueTtl(Duration valueTtl) {
			this.valueTtl = valueTtl;
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
				.valueTtl(this.valueTtl)
				.deniedKeys(this.deniedKeys)
				.redactSecrets(this.redactSecrets)
				.overflowValue(this.overflowValue)
				.redactedValue(this.redactedValue)
				.build();
		}

	}

}
