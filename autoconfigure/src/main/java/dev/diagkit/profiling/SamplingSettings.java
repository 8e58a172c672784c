package dev.diagkit.profiling;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The sampling knobs in force: the configured defaults, or a temporary override that
 * reverts by itself when its time to live has passed (checked whenever the settings are
 * read, so no thread is needed). Thread-safe.
 */
public final class SamplingSettings {

	/** The shortest CPU sampling interval accepted. */
	public static final Duration MIN_CPU_INTERVAL = Duration.ofMillis(1);

	/** The longest CPU sampling interval accepted. */
	public static final Duration MAX_CPU_INTERVAL = Duration.ofSeconds(1);

	/** The most allocation samples per second accepted. */
	public static final int MAX_ALLOCATION_SAMPLES_PER_SECOND = 10_000;

	/** The longest lock-contention threshold accepted. */
	public static final Duration MAX_LOCK_THRESHOLD = Duration.ofSeconds(10);

	private static final Log logger = LogFactory.getLog(SamplingSettings.class);

	private final Values defaults;

	private final Clock clock;

	private @Nullable Override override;

	private final List<BiConsumer<String, Instant>> revertListeners = new CopyOnWriteArrayList<>();

	/**
	 * Creates settings with the given defaults.
	 * @param defaults the values in force when nothing is overridden
	 */
	public SamplingSettings(Values defaults) {
		this(defaults, Clock.systemUTC());
	}

	SamplingSettings(Values defaults, Clock clock) {
		this.defaults = Objects.requireNonNull(defaults, "defaults must not be null");
		this.clock = clock;
	}

	/**
	 * Returns the values in force now.
	 * @return the values
	 */
	public synchronized Values current() {
		Override active = activeOverride();
		return (active != null) ? active.values() : this.defaults;
	}

	/**
	 * Returns the configured defaults.
	 * @return the defaults
	 */
	public Values defaults() {
		return this.defaults;
	}

	/**
	 * Returns when the current override reverts, or {@code null} when none is in force.
	 * @return the instant, or {@code null}
	 */
	public synchronized @Nullable Instant revertsAt() {
		Override active = activeOverride();
		return (active != null) ? active.until() : null;
	}

	/**
	 * Returns who set the current override, or {@code null} when none is in force.
	 * @return the principal, or {@code null}
	 */
	public synchronized @Nullable String overriddenBy() {
		Override active = activeOverride();
		return (active != null) ? active.by() : null;
	}

	/**
	 * Puts {@code values} in force for {@code ttl}, after which the defaults return.
	 * @param values the values
	 * @param ttl how long they stay in force
	 * @param by who asked, for the record
	 * @return when they revert
	 */
	public synchronized Instant override(Values values, Duration ttl, String by) {
		Instant until = this.clock.instant().plus(ttl);
		this.override = new Override(values, until, by);
		return until;
	}

	/**
	 * Puts the defaults back now.
	 */
	public synchronized void reset() {
		this.override = null;
	}

	/**
	 * Adds a listener told when an override reverts at the end of its time to live (not on
	 * {@link #reset()}), with who set it and when it ended. Listeners are called on the
	 * thread that noticed the end, holding this object's lock: keep them short.
	 * @param listener receives the principal and the end
	 */
	public void onRevert(BiConsumer<String, Instant> listener) {
		this.revertListeners.add(listener);
	}

	private @Nullable Override activeOverride() {
		Override active = this.override;
		if (active != null && !this.clock.instant().isBefore(active.until())) {
			logger.info("Sampling settings set by " + active.by() + " expired at " + active.until()
					+ "; back to the defaults " + this.defaults);
			this.override = null;
			this.revertListeners.forEach((listener) -> listener.accept(active.by(), active.until()));
			return null;
		}
		return active;
	}

	/**
	 * The sampling knobs.
	 *
	 * @param cpuInterval the CPU sampling interval (JFR {@code jdk.ExecutionSample#period})
	 * @param allocationSamplesPerSecond allocation samples per second (JFR
	 * {@code jdk.ObjectAllocationSample#throttle})
	 * @param lockThreshold the shortest monitor wait or park recorded (JFR
	 * {@code jdk.JavaMonitorEnter} and {@code jdk.ThreadPark} thresholds)
	 */
	public record Values(Duration cpuInterval, int allocationSamplesPerSecond, Duration lockThreshold) {

		/**
		 * Checks the values.
		 */
		public Values {
			Objects.requireNonNull(cpuInterval, "cpuInterval must not be null");
			Objects.requireNonNull(lockThreshold, "lockThreshold must not be null");
			if (cpuInterval.toMillis() < 1) {
				throw new IllegalArgumentException("cpuInterval must be at least 1ms, was " + cpuInterval);
			}
			if (allocationSamplesPerSecond < 0) {
				throw new IllegalArgumentException(
						"allocationSamplesPerSecond must not be negative, was " + allocationSamplesPerSecond);
			}
			if (lockThreshold.isNegative()) {
				throw new IllegalArgumentException("lockThreshold must not be negative, was " + lockThreshold);
			}
		}

	}

	private record Override(Values values, Instant until, String by) {
	}

}
