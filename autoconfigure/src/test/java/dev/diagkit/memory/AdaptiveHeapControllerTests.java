package dev.diagkit.memory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.diagkit.memory.HeapTargetPolicy.Reason;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The controller's own thread deciding once a period, its bounded history, its JFR events
 * and meters, and closing: the thread ends and the lever is put back. The lever here records what it is told; the
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

	@Test
	void everyChangeIsAJfrEventAndCountedByReason(@TempDir Path dir) throws Exception {
		Path file = dir.resolve("changes.jfr");
		try (AdaptiveHeapController controller = controller(Duration.ofHours(1), 8);
				Recording recording = new Recording()) {
			recording.enable(HeapTargetChangeEvent.NAME);
			recording.start();
			for (int i = 0; i < 4; i++) {
				controller.step();
			}
			recording.stop();
			recording.dump(file);
			assertThat(controller.changes(Reason.PRESSURE)).isEqualTo(3);
			assertThat(controller.changes(Reason.HOLD)).isZero();
		}
		List<RecordedEvent> events = RecordingFile.readAllEvents(file)
			.stream()
			.filter((event) -> event.getEventType().getName().equals(HeapTargetChangeEvent.NAME))
			.toList();
		assertThat(events).extracting((event) -> event.getLong("from") / MB + "->" + event.getLong("to") / MB)
			.containsExactly("400->320", "320->256", "256->240");
		assertThat(events.get(0).getString("reason")).isEqualTo("PRESSURE");
		assertThat(events.get(0).getString("lever")).isEqualTo("recording");
		assertThat(events.get(0).getDouble("pressure")).isEqualTo(40.0);
		assertThat(events.get(0).getLong("floor")).isEqualTo(240 * MB);
		assertThat(events.get(0).getLong("liveHeap")).isEqualTo(100 * MB);
	}

	@Test
	void metersShowTheTargetItsFloorAndTheChangesByReason() {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		try (AdaptiveHeapController controller = controller(Duration.ofHours(1), 8)) {
			new HeapTargetMetrics(controller, Tags.of("app", "shop")).bindTo(registry);
			assertThat(registry.get("diagkit.memory.heap.target").gauge().value()).isEqualTo(BASE);
			assertThat(registry.get("diagkit.memory.heap.target.floor").gauge().value()).isNaN();
			controller.step();
			controller.step();
			assertThat(registry.get("diagkit.memory.heap.target").tag("app", "shop").gauge().value())
				.isEqualTo(256 * MB);
			assertThat(registry.get("diagkit.memory.heap.target.floor").gauge().value()).isEqualTo(240 * MB);
			assertThat(registry.get("diagkit.memory.heap.target.changes").tag("reason", "pressure").functionCounter()
				.count()).isEqualTo(2);
			assertThat(registry.get("diagkit.memory.heap.target.changes").tag("reason", "gc_back_off").functionCounter()
				.count()).isZero();
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
