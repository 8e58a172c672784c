package dev.diagkit.memory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.diagkit.memory.HeapTargetPolicy.Decision;
import dev.diagkit.memory.HeapTargetPolicy.Reason;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * The controller's own thread deciding once a period, its bounded history, its JFR events
 * and meters, pausing and setting the base, the memory of a target the collector could not
 * keep, and closing: the thread ends and the lever is put back. The lever here records what
 * it is told; the real ones are moved in child JVMs ({@link AdaptiveHeapChildJvmTests},
 * {@link HeapShrinkChildJvmTests}).
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

	@Test
	void pausingPutsTheTargetBackToTheBaseAndHoldsItUntilResumed() {
		try (AdaptiveHeapController controller = controller(Duration.ofHours(1), 8)) {
			controller.step();
			assertThat(controller.status().target()).isEqualTo(320 * MB);
			AdaptiveHeapController.Status paused = controller.pause("ops");
			assertThat(paused.paused()).isTrue();
			assertThat(paused.target()).isEqualTo(BASE);
			assertThat(paused.history()).last().satisfies((change) -> {
				assertThat(change.decision().reason()).isEqualTo(Reason.OPERATOR);
				assertThat(change.to()).isEqualTo(BASE);
			});
			assertThat(controller.step().reason()).as("under pressure, paused").isEqualTo(Reason.PAUSED);
			assertThat(controller.status().target()).isEqualTo(BASE);
			assertThat(controller.resume("ops").paused()).isFalse();
			assertThat(controller.step().reason()).isEqualTo(Reason.PRESSURE);
			assertThat(this.lever.targets).containsExactly(320 * MB, BASE, 320 * MB);
			assertThat(controller.changes(Reason.OPERATOR)).isEqualTo(1);
		}
	}

	@Test
	void aBaseIsRefusedBelowTheFloorOrAboveTheMaximumHeapAndALowerOneTakesTheTargetDown() {
		try (AdaptiveHeapController controller = controller(Duration.ofHours(1), 8)) {
			controller.step();
			long floor = controller.status().floor();
			assertThat(floor).isEqualTo(240 * MB);
			assertThatIllegalArgumentException().isThrownBy(() -> controller.setBase(floor - 1, "ops"))
				.withMessageContaining("floor, " + floor + " bytes (240 MB)");
			long max = controller.status().maxHeap();
			assertThatIllegalArgumentException().isThrownBy(() -> controller.setBase(max + 1, "ops"))
				.withMessageContaining("maximum heap, " + max + " bytes");
			assertThat(controller.status().base()).as("unchanged").isEqualTo(BASE);
			AdaptiveHeapController.Status lowered = controller.setBase(300 * MB, "ops");
			assertThat(lowered.base()).isEqualTo(300 * MB);
			assertThat(lowered.target()).isEqualTo(300 * MB);
			assertThat(lowered.floor()).as("60% of the new base").isEqualTo(180 * MB);
			assertThat(controller.step().target()).isEqualTo(240 * MB);
		}
	}

	@Test
	void aTargetTheCollectorCouldNotKeepIsNotTriedAgainUntilThePressureIsGone() {
		double[] pressure = { 40.0 };
		double[] gcShare = { 0.01 };
		try (AdaptiveHeapController controller = new AdaptiveHeapController(
				new AdaptiveHeapController.Settings(Duration.ofHours(1), BASE, 16),
				new HeapTargetPolicy(HeapTargetPolicy.Settings.DEFAULTS), this.lever,
				MemoryPressureSource.of("test", () -> pressure[0]), () -> gcShare[0], () -> 100 * MB)) {
			assertThat(controller.step().target()).isEqualTo(320 * MB);
			assertThat(controller.step().target()).isEqualTo(256 * MB);
			gcShare[0] = 0.5;
			assertThat(controller.step().reason()).isEqualTo(Reason.GC_BACK_OFF);
			assertThat(controller.status().target()).isEqualTo(320 * MB);
			gcShare[0] = 0.01;
			for (int i = 0; i < 3; i++) {
				Decision decision = controller.step();
				assertThat(decision.reason()).as("period %d after the back-off", i).isEqualTo(Reason.GC_BUSY);
				assertThat(decision.target()).isEqualTo(320 * MB);
			}
			pressure[0] = 0.2;
			assertThat(controller.step().reason()).isEqualTo(Reason.PRESSURE_GONE);
			pressure[0] = 40.0;
			assertThat(controller.step().target()).as("a new spell of pressure").isEqualTo(320 * MB);
			assertThat(controller.step().target()).isEqualTo(256 * MB);
		}
	}

	@Test
	void pressureRisingBetweenDecisionsIsAnsweredAtOnceButTheTargetChangesAtMostOnceAPeriod() throws Exception {
		AtomicReference<Double> pressure = new AtomicReference<>(0.2);
		try (AdaptiveHeapController controller = new AdaptiveHeapController(
				new AdaptiveHeapController.Settings(Duration.ofHours(1), BASE, 16),
				new HeapTargetPolicy(HeapTargetPolicy.Settings.DEFAULTS), this.lever,
				MemoryPressureSource.of("test", pressure::get), () -> 0.01, () -> 100 * MB)) {
			controller.start();
			Thread.sleep(1500);
			assertThat(this.lever.targets).as("low pressure").isEmpty();
			pressure.set(40.0);
			// an hour's period: only the pressure watch can decide now
			await().atMost(Duration.ofSeconds(30)).until(() -> !this.lever.targets.isEmpty());
			assertThat(controller.status().lastDecision().reason()).isEqualTo(Reason.PRESSURE);
			// still high, then gone and back: the watch decides again only a period after a change
			Thread.sleep(2500);
			pressure.set(0.2);
			Thread.sleep(2500);
			pressure.set(40.0);
			Thread.sleep(2500);
			assertThat(this.lever.targets).containsExactly(320 * MB);
		}
	}

	@Test
	void theStatusIsReadWhileTheLeverIsStillCollectingAndTheMoveShowsOnceItIsDone() throws Exception {
		CountDownLatch collecting = new CountDownLatch(1);
		CountDownLatch collected = new CountDownLatch(1);
		HeapLever slow = new RecordingLever() {
			@Override
			public void apply(long targetBytes) {
				collecting.countDown();
				try {
					collected.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				super.apply(targetBytes);
			}
		};
		ExecutorService pool = Executors.newFixedThreadPool(2);
		try (AdaptiveHeapController controller = new AdaptiveHeapController(
				new AdaptiveHeapController.Settings(Duration.ofHours(1), BASE, 16),
				new HeapTargetPolicy(HeapTargetPolicy.Settings.DEFAULTS), slow,
				MemoryPressureSource.of("always 40", () -> 40.0), () -> 0.01, () -> 100 * MB)) {
			Future<Decision> step = pool.submit(controller::step);
			assertThat(collecting.await(10, TimeUnit.SECONDS)).as("the lever was called").isTrue();
			Future<AdaptiveHeapController.Status> status = pool.submit(controller::status);
			assertThat(status.get(10, TimeUnit.SECONDS).target()).as("not moved before the lever is done")
				.isEqualTo(BASE);
			assertThat(step.isDone()).isFalse();
			collected.countDown();
			assertThat(step.get(10, TimeUnit.SECONDS).target()).isEqualTo(320 * MB);
			assertThat(controller.status().target()).isEqualTo(320 * MB);
			assertThat(controller.status().history()).hasSize(1);
		}
		finally {
			collected.countDown();
			pool.shutdownNow();
		}
	}

	private AdaptiveHeapController controller(Duration period, int historySize) {
		return new AdaptiveHeapController(new AdaptiveHeapController.Settings(period, BASE, historySize),
				new HeapTargetPolicy(HeapTargetPolicy.Settings.DEFAULTS), this.lever,
				MemoryPressureSource.of("always 40", () -> 40.0), () -> 0.01,
				() -> 100 * MB);
	}

	private static class RecordingLever implements HeapLever {

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
