package dev.diagkit.autoconfigure;

import java.time.Duration;

import dev.diagkit.profiling.SamplingSettings;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Configuration properties of profiling and of the sampling knobs the settings section
 * changes at runtime, under {@code diagkit.profiling}.
 */
@ConfigurationProperties("diagkit.profiling")
public class DiagkitProfilingProperties implements Validator {

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
	}

}
