package dev.diagkit.endpoint;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import dev.diagkit.profiling.SamplingSettings;
import dev.diagkit.runtime.DurationFormat;
import org.jspecify.annotations.Nullable;

import org.springframework.http.ResponseEntity;

/**
 * {@code GET|POST /actuator/diag/settings}: the sampling knobs, readable, and changeable for
 * a time to live after which they revert. The revert happens on time (a daemon thread exists
 * only while a change is in force) and is audited like the change. Closing the section ends
 * that thread.
 */
public final class SettingsSection implements DiagSectionHandler, AutoCloseable {

	private final SamplingSettings sampling;

	private final Duration defaultTtl;

	private final Duration maxTtl;

	private final ScheduledThreadPoolExecutor reverter = DaemonScheduler.create("diagkit-settings-revert");

	private @Nullable ScheduledFuture<?> pendingRevert;

	/**
	 * Creates the section.
	 * @param sampling the sampling knobs
	 * @param defaultTtl how long a change lasts when the call gives no ttl
	 * @param maxTtl the longest a change may last
	 * @param audit records changes that revert at the end of their time to live, or
	 * {@code null}
	 */
	public SettingsSection(SamplingSettings sampling, Duration defaultTtl, Duration maxTtl, @Nullable DiagAudit audit) {
		this.sampling = sampling;
		this.defaultTtl = defaultTtl;
		this.maxTtl = maxTtl;
		if (audit != null) {
			sampling.onRevert((by, until) -> audit.record(
					new DiagRequest(DiagSection.SETTINGS.path(), Map.of("revertedAt", until.toString()), by), "TTL",
					null, "reverted: the change by " + by + " reached the end of its ttl"));
		}
	}

	@Override
	public DiagSection section() {
		return DiagSection.SETTINGS;
	}

	@Override
	public ResponseEntity<?> read(DiagRequest request) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("current", values(this.sampling.current()));
		body.put("defaults", values(this.sampling.defaults()));
		body.put("revertsAt", this.sampling.revertsAt());
		body.put("setBy", this.sampling.overriddenBy());
		return DiagResponses.json(body);
	}

	@Override
	public ResponseEntity<?> write(DiagRequest request) {
		if (request.flag("reset", false)) {
			this.sampling.reset();
			return read(request);
		}
		SamplingSettings.Values current = this.sampling.current();
		if (request.get("cpuInterval") == null && request.get("allocationSamplesPerSecond") == null
				&& request.get("lockThreshold") == null) {
			throw new InvalidParameterException("Give at least one of cpuInterval ("
					+ DurationFormat.format(SamplingSettings.MIN_CPU_INTERVAL) + " to "
					+ DurationFormat.format(SamplingSettings.MAX_CPU_INTERVAL) + "), allocationSamplesPerSecond (0 to "
					+ SamplingSettings.MAX_ALLOCATION_SAMPLES_PER_SECOND + "), lockThreshold (0ms to "
					+ DurationFormat.format(SamplingSettings.MAX_LOCK_THRESHOLD) + "), or reset=true");
		}
		SamplingSettings.Values values = new SamplingSettings.Values(
				request.duration("cpuInterval", current.cpuInterval(), SamplingSettings.MIN_CPU_INTERVAL,
						SamplingSettings.MAX_CPU_INTERVAL),
				request.integer("allocationSamplesPerSecond", current.allocationSamplesPerSecond(), 0,
						SamplingSettings.MAX_ALLOCATION_SAMPLES_PER_SECOND),
				request.duration("lockThreshold", current.lockThreshold(), Duration.ZERO,
						SamplingSettings.MAX_LOCK_THRESHOLD));
		Duration ttl = request.duration("ttl", this.defaultTtl, Duration.ofSeconds(1), this.maxTtl);
		this.sampling.override(values, ttl, (request.principal() != null) ? request.principal() : "anonymous");
		scheduleRevert(ttl);
		return read(request);
	}

	/** Reads the settings just after the ttl, which reverts them if nothing changed since. */
	private synchronized void scheduleRevert(Duration ttl) {
		if (this.pendingRevert != null) {
			this.pendingRevert.cancel(false);
		}
		this.pendingRevert = this.reverter.schedule(this.sampling::current, ttl.toMillis() + 5, TimeUnit.MILLISECONDS);
	}

	@Override
	public void close() {
		this.reverter.shutdownNow();
	}

	private static Map<String, Object> values(SamplingSettings.Values values) {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("cpuInterval", DurationFormat.format(values.cpuInterval()));
		map.put("allocationSamplesPerSecond", values.allocationSamplesPerSecond());
		map.put("lockThreshold", DurationFormat.format(values.lockThreshold()));
		return map;
	}

	@Override
	public Map<String, Object> limits() {
		Map<String, Object> limits = new LinkedHashMap<>();
		limits.put("settingsDefaultTtl", DurationFormat.format(this.defaultTtl));
		limits.put("settingsMaxTtl", DurationFormat.format(this.maxTtl));
		return limits;
	}

}
