package dev.diagkit.memory;

/**
 * Decides each period's heap target from memory pressure, the collector's share of CPU and
 * the heap still live after the latest collection.
 * <ul>
 * <li>Pressure above {@link Settings#highPressure()} tightens the target by one step: the
 * current target times {@link Settings#reduceRatio()}.</li>
 * <li>Pressure below {@link Settings#lowPressure()} relaxes it by one step (divided by the
 * ratio), back to the base at most; in between, the target holds, so that pressure near a
 * threshold does not make it swing.</li>
 * <li>The target never goes below the floor: a share of the base, and never less than the
 * live heap with some headroom, since a target at the live set makes the collector run
 * back to back.</li>
 * <li>When the collector's share of CPU is above {@link Settings#gcShareCap()}, the target
 * relaxes by one step even under pressure: the application is paying for the tighter heap
 * in CPU. It tightens again only once the share is under half the cap, so that a target
 * near the live set does not swing between the two every period.</li>
 * </ul>
 * One step per decision is the rate limit: the caller decides once a period.
 */
public final class HeapTargetPolicy {

	private final Settings settings;

	/**
	 * Creates a policy.
	 * @param settings the thresholds and ratios
	 */
	public HeapTargetPolicy(Settings settings) {
		this.settings = settings;
	}

	/**
	 * Returns the settings.
	 * @return the settings
	 */
	public Settings settings() {
		return this.settings;
	}

	/**
	 * Decides the next target.
	 * @param base the target without pressure, normally the maximum heap
	 * @param current the target now
	 * @param reading what was measured this period
	 * @return the decision
	 */
	public Decision decide(long base, long current, Reading reading) {
		if (base <= 0) {
			throw new IllegalArgumentException("base must be positive, was " + base);
		}
		long floor = floor(base, reading.liveBytes());
		long relaxed = Math.min(base, Math.max(floor, Math.round(current / this.settings.reduceRatio())));
		if (reading.gcShare() > this.settings.gcShareCap() && current < base) {
			return new Decision(relaxed, floor, Reason.GC_BACK_OFF);
		}
		boolean collectorBusy = reading.gcShare() > this.settings.gcShareCap() / 2;
		if (reading.pressure() > this.settings.highPressure()) {
			long tightened = Math.max(floor, Math.round(current * this.settings.reduceRatio()));
			if (tightened < current) {
				return collectorBusy ? new Decision(current, floor, Reason.GC_BUSY)
						: new Decision(tightened, floor, Reason.PRESSURE);
			}
		}
		else if (reading.pressure() < this.settings.lowPressure() && current < base) {
			return new Decision(relaxed, floor, Reason.PRESSURE_GONE);
		}
		if (current < floor) {
			return new Decision(floor, floor, Reason.FLOOR);
		}
		return new Decision(Math.min(current, base), floor, Reason.HOLD);
	}

	/**
	 * Returns the lowest target allowed: the floor share of the base, raised to the live heap
	 * with headroom, never above the base.
	 * @param base the base
	 * @param liveBytes the heap live after the latest collection, or a negative value when
	 * not known
	 * @return the floor in bytes
	 */
	public long floor(long base, long liveBytes) {
		long floor = Math.round(base * this.settings.floorRatio());
		if (liveBytes > 0) {
			floor = Math.max(floor, Math.round(liveBytes * this.settings.liveHeadroom()));
		}
		return Math.min(base, floor);
	}

	/**
	 * The policy's thresholds and ratios.
	 *
	 * @param highPressure the memory pressure ({@code some avg10}, percent) above which the
	 * target tightens
	 * @param lowPressure the pressure below which it relaxes
	 * @param reduceRatio each tightening step's factor, between 0 and 1
	 * @param floorRatio the lowest target as a share of the base, between 0 and 1
	 * @param liveHeadroom the lowest target as a multiple of the live heap, at least 1
	 * @param gcShareCap the collector's share of CPU above which the target relaxes whatever
	 * the pressure, between 0 and 1
	 */
	public record Settings(double highPressure, double lowPressure, double reduceRatio, double floorRatio,
			double liveHeadroom, double gcShareCap) {

		/** The defaults: 5.0 and 1.0, steps of 0.8, a floor of 60% and 1.2 × live, a 30% cap. */
		public static final Settings DEFAULTS = new Settings(5.0, 1.0, 0.8, 0.6, 1.2, 0.3);

		/**
		 * Checks the settings.
		 */
		public Settings {
			if (!(lowPressure >= 0 && lowPressure <= highPressure && highPressure <= 100)) {
				throw new IllegalArgumentException("pressure thresholds must satisfy 0 <= low <= high <= 100, were low "
						+ lowPressure + " and high " + highPressure);
			}
			if (!(reduceRatio > 0 && reduceRatio < 1)) {
				throw new IllegalArgumentException("reduceRatio must be between 0 and 1 (exclusive), was " + reduceRatio);
			}
			if (!(floorRatio > 0 && floorRatio <= 1)) {
				throw new IllegalArgumentException("floorRatio must be above 0 and at most 1, was " + floorRatio);
			}
			if (!(liveHeadroom >= 1)) {
				throw new IllegalArgumentException("liveHeadroom must be at least 1, was " + liveHeadroom);
			}
			if (!(gcShareCap > 0 && gcShareCap <= 1)) {
				throw new IllegalArgumentException("gcShareCap must be above 0 and at most 1, was " + gcShareCap);
			}
		}

	}

	/**
	 * What was measured in one period.
	 *
	 * @param pressure memory pressure, {@code some avg10} in percent, or NaN when not known
	 * (the target then holds)
	 * @param gcShare the collector's share of the process's CPU over the period, or NaN when
	 * not known
	 * @param liveBytes the heap live after the latest collection, or -1 when not known
	 */
	public record Reading(double pressure, double gcShare, long liveBytes) {
	}

	/**
	 * A decision: the target to set, the floor it was held to, and why.
	 *
	 * @param target the heap target in bytes
	 * @param floor the lowest target allowed in this period
	 * @param reason why the target is what it is
	 */
	public record Decision(long target, long floor, Reason reason) {
	}

	/** Why a target is what it is. */
	public enum Reason {

		/** Pressure was high: the target tightened by one step. */
		PRESSURE,

		/** Pressure was low: the target relaxed by one step towards the base. */
		PRESSURE_GONE,

		/** The collector took more CPU than the cap: the target relaxed by one step. */
		GC_BACK_OFF,

		/**
		 * Pressure was high, but the collector took more than half the cap of CPU, or had
		 * gone over the cap at the next step down while this pressure lasts: the target held.
		 */
		GC_BUSY,

		/** The live heap grew: the target rose to the floor. */
		FLOOR,

		/** Nothing called for a change. */
		HOLD,

		/**
		 * An operator paused the controller, which put the target back to the base, or set a
		 * base below the target.
		 */
		OPERATOR,

		/** The controller is paused: the target stays at the base. */
		PAUSED

	}

}
