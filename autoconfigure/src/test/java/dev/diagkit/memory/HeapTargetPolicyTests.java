package dev.diagkit.memory;

import java.util.ArrayList;
import java.util.List;

import dev.diagkit.memory.HeapTargetPolicy.Decision;
import dev.diagkit.memory.HeapTargetPolicy.Reading;
import dev.diagkit.memory.HeapTargetPolicy.Reason;
import dev.diagkit.memory.HeapTargetPolicy.Settings;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The decisions of the heap target policy with its default settings, period by period.
 */
class HeapTargetPolicyTests {

	private static final long MB = 1024 * 1024;

	private static final long BASE = 400 * MB;

	private final HeapTargetPolicy policy = new HeapTargetPolicy(Settings.DEFAULTS);

	@Test
	void sustainedPressureTightensOneStepAPeriodDownToTheFloor() {
		List<Long> targets = run(BASE, 6, new Reading(12.0, 0.02, 100 * MB));
		// 400 → 320 → 256 → 240 (60% of the base) → 240 …
		assertThat(targets).containsExactly(320 * MB, 256 * MB, 240 * MB, 240 * MB, 240 * MB, 240 * MB);
	}

	@Test
	void aLargeLiveHeapRaisesTheFloorAboveTheShareOfTheBase() {
		Decision decision = this.policy.decide(BASE, 300 * MB, new Reading(50.0, 0.02, 250 * MB));
		assertThat(decision.floor()).isEqualTo(300 * MB);
		assertThat(decision.target()).isEqualTo(300 * MB);
		assertThat(decision.reason()).isEqualTo(Reason.HOLD);
	}

	@Test
	void aLiveHeapGrowingPastTheTargetRaisesItToTheFloorEvenUnderPressure() {
		Decision decision = this.policy.decide(BASE, 240 * MB, new Reading(50.0, 0.02, 250 * MB));
		assertThat(decision.target()).isEqualTo(300 * MB);
		assertThat(decision.reason()).isEqualTo(Reason.FLOOR);
	}

	@Test
	void theFloorNeverExceedsTheBase() {
		assertThat(this.policy.floor(BASE, 380 * MB)).isEqualTo(BASE);
	}

	@Test
	void pressureBetweenTheThresholdsHoldsTheTarget() {
		Decision decision = this.policy.decide(BASE, 256 * MB, new Reading(3.0, 0.02, 100 * MB));
		assertThat(decision.target()).isEqualTo(256 * MB);
		assertThat(decision.reason()).isEqualTo(Reason.HOLD);
	}

	@Test
	void lowPressureRelaxesOneStepAPeriodBackToTheBase() {
		List<Long> targets = run(240 * MB, 4, new Reading(0.2, 0.02, 100 * MB));
		assertThat(targets).containsExactly(300 * MB, 375 * MB, 400 * MB, 400 * MB);
	}

	@Test
	void aCollectorOverItsShareOfCpuRelaxesTheTargetEvenUnderPressure() {
		Decision decision = this.policy.decide(BASE, 256 * MB, new Reading(40.0, 0.45, 200 * MB));
		assertThat(decision.target()).isEqualTo(320 * MB);
		assertThat(decision.reason()).isEqualTo(Reason.GC_BACK_OFF);
	}

	@Test
	void aBusyCollectorHoldsTheTargetUnderPressureUntilItsShareIsUnderHalfTheCap() {
		// 0.45 relaxed the target to the base; pressure stays high: no swing back down
		Decision atBase = this.policy.decide(BASE, BASE, new Reading(40.0, 0.45, 200 * MB));
		assertThat(atBase.target()).isEqualTo(BASE);
		assertThat(atBase.reason()).isEqualTo(Reason.GC_BUSY);
		Decision belowCap = this.policy.decide(BASE, BASE, new Reading(40.0, 0.2, 200 * MB));
		assertThat(belowCap.target()).isEqualTo(BASE);
		assertThat(belowCap.reason()).isEqualTo(Reason.GC_BUSY);
		Decision atEase = this.policy.decide(BASE, BASE, new Reading(40.0, 0.1, 200 * MB));
		assertThat(atEase.target()).isEqualTo(320 * MB);
		assertThat(atEase.reason()).isEqualTo(Reason.PRESSURE);
	}

	@Test
	void atTheBaseTheCollectorsShareAloneChangesNothing() {
		Decision decision = this.policy.decide(BASE, BASE, new Reading(0.0, 0.45, 200 * MB));
		assertThat(decision.target()).isEqualTo(BASE);
		assertThat(decision.reason()).isEqualTo(Reason.HOLD);
	}

	@Test
	void unknownPressureHoldsTheTarget() {
		Decision decision = this.policy.decide(BASE, 320 * MB, new Reading(Double.NaN, Double.NaN, -1));
		assertThat(decision.target()).isEqualTo(320 * MB);
		assertThat(decision.reason()).isEqualTo(Reason.HOLD);
		assertThat(decision.floor()).isEqualTo(240 * MB);
	}

	@Test
	void settingsOutsideTheirRangesAreRefusedWithWhatIsAccepted() {
		assertThatIllegalArgumentException().isThrownBy(() -> new Settings(1.0, 5.0, 0.8, 0.6, 1.2, 0.3))
			.withMessageContaining("0 <= low <= high <= 100");
		assertThatIllegalArgumentException().isThrownBy(() -> new Settings(5.0, 1.0, 1.0, 0.6, 1.2, 0.3))
			.withMessage("reduceRatio must be between 0 and 1 (exclusive), was 1.0");
		assertThatIllegalArgumentException().isThrownBy(() -> new Settings(5.0, 1.0, 0.8, 0.0, 1.2, 0.3))
			.withMessageContaining("floorRatio");
		assertThatIllegalArgumentException().isThrownBy(() -> new Settings(5.0, 1.0, 0.8, 0.6, 0.9, 0.3))
			.withMessageContaining("liveHeadroom");
		assertThatIllegalArgumentException().isThrownBy(() -> new Settings(5.0, 1.0, 0.8, 0.6, 1.2, 1.5))
			.withMessageContaining("gcShareCap");
	}

	/** The targets of {@code periods} decisions in a row from {@code start}, with one reading. */
	private List<Long> run(long start, int periods, Reading reading) {
		List<Long> targets = new ArrayList<>();
		long current = start;
		for (int i = 0; i < periods; i++) {
			current = this.policy.decide(BASE, current, reading).target();
			targets.add(current);
		}
		return targets;
	}

}
