package dev.diagkit.trace;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import dev.diagkit.labels.LabelSet;
import dev.diagkit.labels.ProfilingLabels;
import dev.diagkit.labels.spi.TaskIds;
import dev.diagkit.testing.TraceEvents;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link DiagTrace} tasks, regions and logs as JFR events, read back with
 * {@link RecordingFile} and with the JDK's {@code jfr print}.
 */
class DiagTraceTests {

	private final ExecutorService pool = ProfilingLabels.wrap(Executors.newFixedThreadPool(2));

	@AfterEach
	void stopPool() throws InterruptedException {
		this.pool.shutdownNow();
		this.pool.awaitTermination(10, TimeUnit.SECONDS);
	}

	@Test
	void tasksRegionsAndLogsAreEventsThatNameTheirTask() throws Exception {
		long taskId;
		long childId;
		List<RecordedEvent> events;
		try (TraceEvents recorded = TraceEvents.record()) {
			try (DiagTask task = ProfilingLabels.call(LabelSet.of("tenant", "acme"), () -> DiagTrace.task("checkout"))) {
				taskId = task.id();
				DiagTrace.region("price", () -> sleep(20));
				String total = DiagTrace.region("total", () -> "42");
				assertThat(total).isEqualTo("42");
				assertThat(DiagTrace.regionChecked("checked", () -> "ok")).isEqualTo("ok");
				DiagTrace.log("payment", "card declined, retrying");
				try (DiagTask child = DiagTrace.task("retry")) {
					childId = child.id();
					assertThat(TaskIds.current()).isEqualTo(childId);
				}
				assertThat(TaskIds.current()).isEqualTo(taskId);
			}
			assertThat(TaskIds.current()).isZero();
			events = recorded.stop();
		}
		assertThat(taskId).isPositive();
		RecordedEvent task = TraceEvents.only(events, "diagkit.Task", (e) -> e.getLong("id") == taskId);
		assertThat(task.getString("name")).isEqualTo("checkout");
		assertThat(task.getLong("parentId")).isZero();
		assertThat(task.getThread().getJavaThreadId()).isEqualTo(Thread.currentThread().getId());
		assertThat(task.getDuration().toMillis()).isGreaterThanOrEqualTo(20);
		assertThat(task.getString("labels")).isEqualTo("tenant=acme");
		RecordedEvent child = TraceEvents.only(events, "diagkit.Task", (e) -> e.getLong("id") == childId);
		assertThat(child.getString("name")).isEqualTo("retry");
		assertThat(child.getLong("parentId")).isEqualTo(taskId);
		RecordedEvent price = TraceEvents.only(events, "diagkit.Region", (e) -> e.getString("name").equals("price"));
		assertThat(price.getLong("taskId")).isEqualTo(taskId);
		assertThat(price.getDuration().toMillis()).isGreaterThanOrEqualTo(20);
		assertThat(price.getStartTime()).isAfterOrEqualTo(task.getStartTime());
		assertThat(price.getEndTime()).isBeforeOrEqualTo(task.getEndTime());
		assertThat(TraceEvents.only(events, "diagkit.Region", (e) -> e.getString("name").equals("total")).getLong("taskId"))
			.isEqualTo(taskId);
		RecordedEvent log = TraceEvents.only(events, "diagkit.Log", (e) -> true);
		assertThat(log.getLong("taskId")).isEqualTo(taskId);
		assertThat(log.getString("category")).isEqualTo("payment");
		assertThat(log.getString("message")).isEqualTo("card declined, retrying");
		assertThat(log.getEventType().getCategoryNames()).containsExactly("diagkit");
	}

	@Test
	void aTaskContinuesOnTheThreadsItsWorkIsHandedTo() throws Exception {
		long taskId;
		long workerChild;
		List<RecordedEvent> events;
		try (TraceEvents recorded = TraceEvents.record()) {
			try (DiagTask task = DiagTrace.task("fan-out")) {
				taskId = task.id();
				this.pool.submit(() -> DiagTrace.region("on-worker", () -> sleep(5))).get();
				workerChild = this.pool.submit(() -> {
					try (DiagTask child = DiagTrace.task("worker-child")) {
						return child.id();
					}
				}).get();
			}
			// the worker works for no task once the task's work has left it
			this.pool.submit(() -> DiagTrace.region("after", () -> { })).get();
			assertThat(this.pool.submit(TaskIds::current).get()).isZero();
			events = recorded.stop();
		}
		RecordedEvent onWorker = TraceEvents.only(events, "diagkit.Region", (e) -> e.getString("name").equals("on-worker"));
		assertThat(onWorker.getLong("taskId")).isEqualTo(taskId);
		assertThat(onWorker.getThread().getJavaThreadId()).isNotEqualTo(Thread.currentThread().getId());
		RecordedEvent child = TraceEvents.only(events, "diagkit.Task", (e) -> e.getLong("id") == workerChild);
		assertThat(child.getLong("parentId")).isEqualTo(taskId);
		assertThat(child.getThread().getJavaThreadId()).isNotEqualTo(Thread.currentThread().getId());
		assertThat(TraceEvents.only(events, "diagkit.Region", (e) -> e.getString("name").equals("after")).getLong("taskId"))
			.isZero();
	}

	@Test
	void contextPropagationCarriesTheTask() throws Exception {
		ContextSnapshotFactory snapshots = ContextSnapshotFactory.builder()
			.contextRegistry(ContextRegistry.getInstance())
			.build();
		ExecutorService plain = Executors.newSingleThreadExecutor();
		try (TraceEvents recorded = TraceEvents.record()) {
			long taskId;
			try (DiagTask task = DiagTrace.task("reactive")) {
				taskId = task.id();
				ContextSnapshot snapshot = snapshots.captureAll();
				plain.submit(snapshot.wrap(() -> DiagTrace.region("restored", () -> { }))).get();
			}
			plain.submit(() -> DiagTrace.region("plain", () -> { })).get();
			List<RecordedEvent> events = recorded.stop();
			assertThat(TraceEvents.only(events, "diagkit.Region", (e) -> e.getString("name").equals("restored")).getLong("taskId"))
				.isEqualTo(taskId);
			assertThat(TraceEvents.only(events, "diagkit.Region", (e) -> e.getString("name").equals("plain")).getLong("taskId"))
				.isZero();
		}
		finally {
			plain.shutdownNow();
		}
	}

	@Test
	void withoutARecordingTasksHaveNoIdAndRegionsStillRun() throws Exception {
		assertThat(DiagTrace.isEnabled()).isFalse();
		try (DiagTask task = DiagTrace.task("unrecorded")) {
			assertThat(task.id()).isZero();
			assertThat(TaskIds.current()).isZero();
			int[] ran = new int[1];
			DiagTrace.region("r", () -> ran[0]++);
			assertThat(DiagTrace.region("c", () -> ran[0] + 1)).isEqualTo(2);
			assertThat(DiagTrace.regionChecked("k", () -> ran[0] + 2)).isEqualTo(3);
			DiagTrace.log("c", "m");
			assertThat(ran[0]).isEqualTo(1);
		}
	}

	@Test
	void otherRecordingsDoNotTurnTheEventsOn() throws Exception {
		// JFR turns a Java event on in every recording that does not name it, unless it says otherwise
		try (jdk.jfr.consumer.RecordingStream stream = new jdk.jfr.consumer.RecordingStream()) {
			stream.enable("jdk.GarbageCollection");
			stream.startAsync();
			try (jdk.jfr.Recording plain = new jdk.jfr.Recording()) {
				plain.start();
				assertThat(DiagTrace.isEnabled()).isFalse();
				try (DiagTask task = DiagTrace.task("unrecorded")) {
					assertThat(task.id()).isZero();
				}
			}
		}
	}

	@Test
	void aTaskLeftOpenInsideAnotherDoesNotStayOnTheThread() throws Exception {
		try (TraceEvents recorded = TraceEvents.record()) {
			try (DiagTask outer = DiagTrace.task("outer")) {
				DiagTask leaked = DiagTrace.task("left-open");
				assertThat(TaskIds.current()).isEqualTo(leaked.id());
			}
			assertThat(TaskIds.current()).isZero();
			recorded.stop();
		}
	}

	@Test
	void aTaskEndedFromTwoThreadsAtOnceIsWrittenOnce() throws Exception {
		List<RecordedEvent> events;
		try (TraceEvents recorded = TraceEvents.record()) {
			DiagTask task = DiagTrace.task("raced");
			TaskIds.swap(0);
			java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
			List<java.util.concurrent.Future<?>> closers = new java.util.ArrayList<>();
			for (int i = 0; i < 2; i++) {
				closers.add(this.pool.submit(() -> {
					go.await();
					task.close();
					return null;
				}));
			}
			go.countDown();
			for (java.util.concurrent.Future<?> closer : closers) {
				closer.get();
			}
			events = recorded.stop();
		}
		assertThat(TraceEvents.of(events, "diagkit.Task")).hasSize(1);
	}

	@Test
	void workWrappedWithExplicitLabelsDoesNotCarryTheTask() throws Exception {
		try (TraceEvents recorded = TraceEvents.record(); DiagTask task = DiagTrace.task("producer")) {
			assertThat(task.id()).isPositive();
			assertThat(this.pool.submit(ProfilingLabels.wrap(LabelSet.of("job", "queued"), TaskIds::current)).get())
				.isZero();
			assertThat(this.pool.submit(ProfilingLabels.wrap(TaskIds::current)).get()).isEqualTo(task.id());
			recorded.stop();
		}
	}

	@Test
	void labelsWithSeparatorsReadBackExactly() {
		LabelSet labels = LabelSet.of("endpoint", "GET /a,b=c", "tenant", "100%");
		String text = LabelText.format(labels);
		assertThat(text).isEqualTo("endpoint=GET /a%2Cb%3Dc,tenant=100%25");
		assertThat(LabelText.parse(text)).isEqualTo(labels);
		assertThat(LabelText.parse("")).isEqualTo(LabelSet.empty());
	}

	@Test
	void jfrPrintReadsTheEvents() throws Exception {
		Path file = Files.createTempFile("diag-trace-", ".jfr");
		try {
			try (Recording recording = new Recording()) {
				recording.enable(TaskEvent.NAME);
				recording.enable(RegionEvent.NAME);
				recording.start();
				try (DiagTask task = DiagTrace.task("printed")) {
					DiagTrace.region("printed-region", () -> { });
				}
				recording.stop();
				recording.dump(file);
			}
			Process print = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jfr").toString(), "print",
					"--events", "diagkit.Task,diagkit.Region", file.toString())
				.redirectErrorStream(true)
				.start();
			String out = new String(print.getInputStream().readAllBytes());
			assertThat(print.waitFor()).as(out).isZero();
			assertThat(out).contains("diagkit.Task {", "name = \"printed\"", "diagkit.Region {",
					"name = \"printed-region\"", "taskId = ");
		}
		finally {
			Files.deleteIfExists(file);
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
