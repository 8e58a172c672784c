package dev.diagkit.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

import dev.diagkit.memory.AdaptiveHeapController;
import dev.diagkit.memory.HeapTargetPolicy;

/**
 * Configuration properties of the adaptive heap target, under {@code diagkit.memory}.
 */
@ConfigurationProperties("diagkit.memory")
public class DiagkitMemoryProperties implements Validator {

	private final Adaptive adaptive = new Adaptive();

	public Adaptive getAdaptive() {
		return this.adaptive;
	}

	@Override
	public boolean supports(Class<?> type) {
		return DiagkitMemoryProperties.class.isAssignableFrom(type);
	}

	@Override
	public void validate(Object target, Errors errors) {
		Adaptive adaptive = ((DiagkitMemoryProperties) target).getAdaptive();
		PropertyChecks checks = new PropertyChecks(errors);
		checks.positive("adaptive.period", adaptive.getPeriod());
		if (!(adaptive.getHighPressure() >= 0 && adaptive.getHighPressure() <= 100)) {
			checks.reject("adaptive.highPressure", "must be between 0 and 100, was " + adaptive.getHighPressure());
		}
		if (!(adaptive.getLowPressure() >= 0 && adaptive.getLowPressure() <= adaptive.getHighPressure())) {
			checks.reject("adaptive.lowPressure", "must be between 0 and diagkit.memory.adaptive.high-pressure ("
					+ adaptive.getHighPressure() + "), was " + adaptive.getLowPressure());
		}
		if (!(adaptive.getReduceRatio() > 0 && adaptive.getReduceRatio() < 1)) {
			checks.reject("adaptive.reduceRatio", "must be above 0 and below 1, was " + adaptive.getReduceRatio());
		}
		checks.ratio("adaptive.floorRatio", adaptive.getFloorRatio());
		checks.ratio("adaptive.gcShareCap", adaptive.getGcShareCap());
		DataSize base = adaptive.getBase();
		if (base != null && base.toBytes() <= 0) {
			checks.reject("adaptive.base", "must be positive, was " + base);
		}
		checks.atLeast("adaptive.historySize", adaptive.getHistorySize(), 1);
	}

	/**
	 * The adaptive heap target: the heap target tightens with memory pressure and relaxes when
	 * it is gone.
	 */
	public static class Adaptive {

		/**
		 * Whether to move the heap target with memory pressure. ZGC and Shenandoah follow it
		 * through SoftMaxHeapSize, G1 through its free ratios; with Serial and Parallel the
		 * targets are only reported.
		 */
		private boolean enabled;

		/**
		 * How often the target is decided; it moves at most one step each time. Pressure
		 * rising above the high threshold is answered within a second when the target has
		 * not changed for a period.
		 */
		private Duration period = Duration.ofSeconds(10);

		/**
		 * PSI file to read memory pressure from, instead of finding the cgroup's
		 * memory.pressure or the machine's /proc/pressure/memory.
		 */
		private @Nullable Path pressurePath;

		/**
		 * Memory pressure (PSI "some avg10", percent) above which the target tightens by one
		 * step.
		 */
		private double highPressure = 5.0;

		/**
		 * Memory pressure below which the target relaxes by one step towards the base; in
		 * between it holds.
		 */
		private double lowPressure = 1.0;

		/**
		 * Factor of each tightening step.
		 */
		private double reduceRatio = 0.8;

		/**
		 * Lowest target as a share of the base; never below the live heap times 1.2 either.
		 */
		private double floorRatio = 0.6;

		/**
		 * Garbage collector's share of the process's CPU (at least a tenth of a core)
		 * above which the target relaxes even under pressure; it tightens again once the
		 * share is under half of it, and not to a target where the cap was exceeded until
		 * the pressure has gone.
		 */
		private double gcShareCap = 0.3;

		/**
		 * Target without pressure, at most the maximum heap. Default: the maximum heap.
		 */
		private @Nullable DataSize base;

		/**
		 * How many changes of the target are kept.
		 */
		private int historySize = 32;

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

		public @Nullable Path getPressurePath() {
			return this.pressurePath;
		}

		public void setPressurePath(@Nullable Path pressurePath) {
			this.pressurePath = pressurePath;
		}

		public double getHighPressure() {
			return this.highPressure;
		}

		public void setHighPressure(double highPressure) {
			this.highPressure = highPressure;
		}

		public double getLowPressure() {
			return this.lowPressure;
		}

		public void setLowPressure(double lowPressure) {
			this.lowPressure = lowPressure;
		}

		public double getReduceRatio() {
			return this.reduceRatio;
		}

		public void setReduceRatio(double reduceRatio) {
			this.reduceRatio = reduceRatio;
		}

		public double getFloorRatio() {
			return this.floorRatio;
		}

		public void setFloorRatio(double floorRatio) {
			this.floorRatio = floorRatio;
		}

		public double getGcShareCap() {
			return this.gcShareCap;
		}

		public void setGcShareCap(double gcShareCap) {
			this.gcShareCap = gcShareCap;
		}

		public @Nullable DataSize getBase() {
			return this.base;
		}

		public void setBase(@Nullable DataSize base) {
			this.base = base;
		}

		public int getHistorySize() {
			return this.historySize;
		}

		public void setHistorySize(int historySize) {
			this.historySize = historySize;
		}

		HeapTargetPolicy.Settings toPolicySettings() {
			return new HeapTargetPolicy.Settings(this.highPressure, this.lowPressure, this.reduceRatio,
					this.floorRatio, HeapTargetPolicy.Settings.DEFAULTS.liveHeadroom(), this.gcShareCap);
		}

		AdaptiveHeapController.Settings toControllerSettings(long maxHeap) {
			long baseBytes = (this.base != null) ? Math.min(this.base.toBytes(), maxHeap) : maxHeap;
			return new AdaptiveHeapController.Settings(this.period, baseBytes, this.historySize);
		}

	}

}
