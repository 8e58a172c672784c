package dev.diagkit.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Configuration properties of the {@code /actuator/diag} endpoint, under
 * {@code diagkit.endpoint}.
 */
@ConfigurationProperties("diagkit.endpoint")
public class DiagkitEndpointProperties implements Validator {

	/** A capture shorter than a second cannot be asked for: seconds are whole. */
	private static final Duration ONE_SECOND = Duration.ofSeconds(1);

	/** Room for the totals and at least a small group of stacks. */
	private static final DataSize MIN_STACKS_SIZE = DataSize.ofKilobytes(1);

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

	@Override
	public boolean supports(Class<?> type) {
		return DiagkitEndpointProperties.class.isAssignableFrom(type);
	}

	@Override
	public void validate(Object target, Errors errors) {
		DiagkitEndpointProperties properties = (DiagkitEndpointProperties) target;
		PropertyChecks checks = new PropertyChecks(errors);
		checks.atLeast("maxConcurrentCaptures", properties.getMaxConcurrentCaptures(), 1);
		checks.atLeast("requestsPerMinute", properties.getRequestsPerMinute(), 1);
		checks.atLeast("burst", properties.getBurst(), 1);
		DataSize maxSize = properties.getStacks().getMaxSize();
		if (maxSize == null || maxSize.toBytes() < MIN_STACKS_SIZE.toBytes()) {
			checks.reject("stacks.maxSize", "must be at least " + MIN_STACKS_SIZE + ", was " + maxSize);
		}
		checks.range("trace.defaultDuration", properties.getTrace().getDefaultDuration(), "trace.maxDuration",
				properties.getTrace().getMaxDuration(), ONE_SECOND);
		checks.atLeast("stacks.maxPerMinute", properties.getStacks().getMaxPerMinute(), 1);
		checks.atLeast("trace.maxSize", properties.getTrace().getMaxSize().toBytes(), DataSize.ofMegabytes(1).toBytes());
		checks.range("settings.defaultTtl", properties.getSettings().getDefaultTtl(), "settings.maxTtl",
				properties.getSettings().getMaxTtl(), ONE_SECOND);
	}

	/**
	 * The stacks section.
	 */
	public static class Stacks {

		/**
		 * Largest stacks answer; groups past it are left out and the answer says so.
		 */
		private DataSize maxSize = DataSize.ofMegabytes(4);

		/**
		 * How many stacks answers may pause the application per minute, across all callers
		 * (two may come at once).
		 */
		private int maxPerMinute = 6;

		public DataSize getMaxSize() {
			return this.maxSize;
		}

		public void setMaxSize(DataSize maxSize) {
			this.maxSize = maxSize;
		}

		public int getMaxPerMinute() {
			return this.maxPerMinute;
		}

		public void setMaxPerMinute(int maxPerMinute) {
			this.maxPerMinute = maxPerMinute;
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

		/**
		 * Most data a trace keeps: beyond it the oldest data is dropped, to within one JFR
		 * chunk (12 MB unless -XX:FlightRecorderOptions:maxchunksize says otherwise).
		 */
		private DataSize maxSize = DataSize.ofMegabytes(100);

		public DataSize getMaxSize() {
			return this.maxSize;
		}

		public void setMaxSize(DataSize maxSize) {
			this.maxSize = maxSize;
		}

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
