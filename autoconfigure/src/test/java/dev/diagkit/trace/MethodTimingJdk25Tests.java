package dev.diagkit.trace;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import dev.diagkit.labels.LabelSet;
import dev.diagkit.labels.ProfilingLabels;
import dev.diagkit.profiling.SamplingSettings;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On JDK 25, a trace that names a method times every call of it and of nothing else, and
 * each call lies inside a label interval of its thread.
 */
@Tag("jdk21")
@EnabledForJreRange(min = JRE.JAVA_25)
class MethodTimingJdk25Tests {

	@Test
	void everyCallOfTheNamedMethodAndNothingElseIsTimed() throws Exception {
		MethodTiming timing = new MethodTiming(List.of("dev.diagkit.trace"), 10, getClass().getClassLoader());
		List<String> methods = timing.select("dev.diagkit.trace.TimedWork::price");
		SamplingSettings sampling = new SamplingSettings(
				new SamplingSettings.Values(Duration.ofMillis(10), 100, Duration.ofMillis(10)));
		// each call's start, by the wall clock JFR's events carry; timing starts a little after
		// the recording does, so the caller calls throughout
		List<Instant> calls = new ArrayList<>();
		AtomicBoolean calling = new AtomicBoolean(true);
		Thread caller = new Thread(() -> ProfilingLabels.run(LabelSet.of("tenant", "acme"), () -> {
			while (calling.get()) {
				calls.add(Instant.now());
				TimedWork.other(1000);
				sleep(1);
			}
		}), "timed-caller");
		List<RecordedEvent> events;
		try (TraceRecorder recorder = new TraceRecorder(sampling)) {
			caller.start();
			Path file;
			try {
				file = recorder.record(Duration.ofSeconds(2), "default", 0, methods);
			}
			finally {
				calling.set(false);
				caller.join();
			}
			events = RecordingFile.readAllEvents(file);
			Files.delete(file);
			recorder.deleted(file);
		}
		List<RecordedEvent> traced = events.stream()
			.filter((e) -> e.getEventType().getName().equals("jdk.MethodTrace"))
			.sorted(Comparator.comparing(RecordedEvent::getStartTime))
			.collect(Collectors.toList());
		assertThat(traced).isNotEmpty().allSatisfy((e) -> {
			RecordedMethod method = e.getValue("method");
			assertThat(method.getType().getName() + "::" + method.getName()).isEqualTo("dev.diagkit.trace.TimedWork::price");
			assertThat(e.getThread().getJavaName()).isEqualTo("timed-caller");
		});
		// from the first timed call until the recording stopped, no call was missed
		Instant first = traced.get(0).getStartTime();
		Instant last = traced.get(traced.size() - 1).getStartTime();
		long made = calls.stream().filter((at) -> !at.isBefore(first.minusMillis(1)) && !at.isAfter(last)).count();
		assertThat((long) traced.size()).isBetween(made - 1, made + 1);
		long invocations = events.stream()
			.filter((e) -> e.getEventType().getName().equals("jdk.MethodTiming"))
			.mapToLong((e) -> e.getLong("invocations"))
			.sum();
		// the totals and the last traces are written as the recording stops, while calls go on:
		// they differ by the few calls of those moments, either way
		assertThat(invocations).isBetween(traced.size() * 98L / 100, traced.size() * 102L / 100);
		RecordedEvent interval = events.stream()
			.filter((e) -> e.getEventType().getName().equals("diagkit.LabelInterval"))
			.filter((e) -> e.getString("labels").equals("tenant=acme"))
			.findFirst()
			.orElseThrow();
		long start = TraceLabelIntervalsTests.start(interval);
		// the scope was still open as the trace ended: the interval lasts to the recording's end
		assertThat(interval.getBoolean("ongoing")).isTrue();
		long end = Long.MAX_VALUE - 1_000_000;
		assertThat(traced).allSatisfy((call) -> {
			long at = call.getStartTime().getEpochSecond() * 1_000_000_000L + call.getStartTime().getNano();
			assertThat(at).isBetween(start - 1_000_000, end + 1_000_000);
		});
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
