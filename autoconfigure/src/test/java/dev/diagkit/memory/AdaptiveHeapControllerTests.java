package dev.diagkit.memory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.diagkit.memory.HeapTargetPolicy.Reason;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The controller's own thread deciding once a period, its bounded history, and closing:
 * the thread ends and the lever is put back. The lever here records what it is told; the
 * real one is moved in a child JVM ({@link AdaptiveHeapChildJvmTests}).
 */
class AdaptiveHeapControllerTests {

	private static final long MB = 1024 * 1024;

	private static final long BASE = 400 * MB;

	private final RecordingLever lever = new RecordingLever();

	@Test
	void theThreadTightensOncePerPeriodUnderPressureAndClosingPutsTheLeverBack() {
		AdaptiveHeapController controller = controller(Duration.ofMillis(20), 8);
		controller.start();
		try {
			await().atMost(Duration.ofSeconds(10)).until(() -> this.lever.targets.size() >= 3);
			assertThat(this.lever.targets.subList(0, 3)).containsExactly(320 * MB, 256 * MB, 240 * MB);
			assertThat(controller.status().running()).isTrue();
		}
		finally {
			controller.close();
		}
		assertThat(this.lever.restored).isTrue();
		assertThat(controller.status().running()).isFalse();
		assertThat(Thread.getAllStackTraces().keySet())
			.noneMatch((thread) -> thread.isAlive() && thread.getName().equals(AdaptiveHeapController.THREAD_NAME));
	}

	@Test
	void theHistoryKeepsTheLatestChanges() {
		try (AdaptiveHeapController controller = controller(Duration.ofHours(1), 2)) {
			for (int i = 0; i < 5; i++) {
				controller.step();
			}
			List<AdaptiveHeapController.Change> history = controller.status().history();
			assertThat(history).hasSize(2);
			assertThat(history.get(0).from()).isEqualTo(320 * MB);
			assertThat(history.get(1).to()).isEqualTo(240 * MB);
			assertThat(history).allSatisfy((change) -> assertThat(change.decision().reason()).isEqualTo(Reason.PRESSURE));
			assertThat(controller.status().target()).isEqualTo(240 * MB);
			assertThat(controller.status().lastDecision().reason()).isEqualTo(Reason.HOLD);
		}
	}

	private AdaptiveHeapController controller(Duration period, int historySize) {
		return new AdaptiveHeapController(new AdaptiveHeapController.Settings(period, BASE, historySize),
				new HeapTargetPolicy(HeapTargetPolicy.Settings.DEFAULTS), this.lever,
				MemoryPressureSource.of("always 40", () -> 40.0), () -> 0.01,
				() -> 100 * MB);
	}

	private static final class RecordingLever implements HeapLever {

		private final List<Long> targets = new CopyOnWriteArrayList<>();

		private volatile boolean restored;

		@Override
		public String name() {
			return "recording";
		}

		@Override
		public boolean moves() {
			return true;
		}

		@Override
		public void apply(long targetBytes) {
			this.targets.add(targetBytes);
		}

		@Override
		public void restore() {
			this.restored = true;
		}

	}

}
