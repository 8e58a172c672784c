package dev.diagkit.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Configuration properties of the Micrometer meters for runtime figures Micrometer does not
 * publish itself, under {@code diagkit.metrics}.
 */
@ConfigurationProperties("diagkit.metrics")
public class DiagkitMetricsProperties implements Validator {

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

	@Override
	public boolean supports(Class<?> type) {
		return DiagkitMetricsProperties.class.isAssignableFrom(type);
	}

	@Override
	public void validate(Object target, Errors errors) {
		DiagkitMetricsProperties properties = (DiagkitMetricsProperties) target;
		PropertyChecks checks = new PropertyChecks(errors);
		checks.positive("refreshInterval", properties.getRefreshInterval());
		checks.positive("nativeMemory.refreshInterval", properties.getNativeMemory().getRefreshInterval());
		checks.between("labels.busySampleInterval", properties.getLabels().getBusySampleInterval(),
				Duration.ofMillis(10), Duration.ofMillis(100));
		List<Duration> objectives = properties.getExecutors().getServiceLevelObjectives();
		for (int i = 0; i < objectives.size(); i++) {
			checks.positive("executors.serviceLevelObjectives[" + i + "]", objectives.get(i));
		}
		List<String> keys = properties.getLabels().getKeys();
		for (int i = 0; i < keys.size(); i++) {
			checks.hasText("labels.keys[" + i + "]", keys.get(i));
		}
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

		/**
		 * How often the threads under each value of those keys are counted into
		 * diagkit.labels.busy (thread-seconds). 10 ms to 100 ms.
		 */
		private Duration busySampleInterval = Duration.ofMillis(100);

		public List<String> getKeys() {
			return this.keys;
		}

		public void setKeys(List<String> keys) {
			this.keys = keys;
		}

		public Duration getBusySampleInterval() {
			return this.busySampleInterval;
		}

		public void setBusySampleInterval(Duration busySampleInterval) {
			this.busySampleInterval = busySampleInterval;
		}

	}

}
