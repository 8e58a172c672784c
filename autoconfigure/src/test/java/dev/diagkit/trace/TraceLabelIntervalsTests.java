package dev.diagkit.trace;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

import dev.diagkit.labels.LabelSet;
import dev.diagkit.labels.ProfilingLabels;
import dev.diagkit.profiling.SamplingSettings;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A trace captured by {@link TraceRecorder} carries every thread's label intervals, with the
 * bounds of each label scope, and the trace annotations, under the JDK's own settings.
 */
class TraceLabelIntervalsTests {

	@Test
	void aTraceHoldsEachThreadsLabelIntervalsAndTasks() throws Exception {
		SamplingSettings sampling = new SamplingSettings(
				new SamplingSettings.Values(Duration.ofMillis(10), 100, Duration.ofMillis(10)));
		CountDownLatch recording = new CountDownLatch(1);
		long[] workerId = new long[1];
		long[] taskId = new long[1];
		Thread worker = new Thread(() -> {
			try {
				recording.await();
				while (!DiagTrace.isEnabled()) {
					Thread.sleep(10);
				}
				try (DiagTask task = DiagTrace.task("job")) {
					taskId[0] = task.id();
					ProfilingLabels.run(LabelSet.of("tenant", "acme"), () -> sleep(300));
					ProfilingLabels.run(LabelSet.of("tenant", "globex"), () -> {
						// a thousand short scopes inside one: each is an interval of its own
						for (int i = 0; i < 1000; i++) {
							ProfilingLabels.run(LabelSet.of("step", "inner"), () -> { });
						}
						sleep(150);
					});
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}, "interval-worker");
		workerId[0] = worker.getId();
		List<RecordedEvent> events;
		try (TraceRecorder recorder = new TraceRecorder(sampling)) {
			worker.start();
			recording.countDown();
			Path file = recorder.record(Duration.ofMillis(1500), "default");
			events = RecordingFile.readAllEvents(file);
			Files.delete(file);
			recorder.deleted(file);
		}
		worker.join();
		{
			List<RecordedEvent> intervals = events.stream()
				.filter((e) -> e.getEventType().getName().equals("diagkit.LabelInterval"))
				.filter((e) -> e.getLong("javaThreadId") == workerId[0])
				.collect(Collectors.toList());
			RecordedEvent acme = only(intervals, "tenant=acme");
			assertThat(Duration.ofNanos(acme.getLong("length")).toMillis()).isBetween(300L, 400L);
			assertThat(acme.getBoolean("ongoing")).isFalse();
			RecordedEvent globex = only(intervals, "tenant=globex");
			assertThat(start(globex) - start(acme) - acme.getLong("length"))
				.as("globex starts after acme ends (the lambda between them is bootstrapped on first use)")
				.isBetween(0L, 50_000_000L);
			long inner = intervals.stream().filter((e) -> LabelText.parse(e.getString("labels"))
				.equals(LabelSet.of("tenant", "globex", "step", "inner"))).count();
			assertThat(inner).isEqualTo(1000);
			// globex is split by the inner scopes: its last part holds the sleep
			List<RecordedEvent> globexParts = intervals.stream()
				.filter((e) -> e.getString("labels").equals("tenant=globex"))
				.collect(Collectors.toList());
			assertThat(globexParts).hasSize(1001);
			long longest = globexParts.stream().mapToLong((e) -> e.getLong("length")).max().getAsLong();
			assertThat(Duration.ofNanos(longest).toMillis()).isBetween(150L, 250L);
			Instant start = Instant.ofEpochSecond(0, start(acme));
			assertThat(acme.getInstant("start").toEpochMilli()).isCloseTo(start.toEpochMilli(), within(1L));
			RecordedEvent task = events.stream()
				.filter((e) -> e.getEventType().getName().equals("diagkit.Task") && e.getLong("id") == taskId[0])
				.findFirst()
				.orElseThrow();
			assertThat(task.getString("name")).isEqualTo("job");
			assertThat(Duration.between(task.getStartTime(), start).toMillis()).isBetween(-2L, 10L);
		}
	}

	/** The interval's start on JFR's clock: the event's own time, less how long before it began. */
	static long start(RecordedEvent interval) {
		return RecordedTrace.nanos(interval.getStartTime()) - interval.getLong("startedBefore");
	}

	private static RecordedEvent only(List<RecordedEvent> intervals, String labels) {
		List<RecordedEvent> found = intervals.stream()
			.filter((e) -> e.getString("labels").equals(labels))
			.collect(Collectors.toList());
		assertThat(found).as(labels).hasSizeGreaterThanOrEqualTo(1);
		return found.get(0);
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
