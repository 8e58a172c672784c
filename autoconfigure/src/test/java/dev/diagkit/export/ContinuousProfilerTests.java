package dev.diagkit.export;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import dev.diagkit.labels.LabelSet;
import dev.diagkit.labels.ProfilingLabels;
import dev.diagkit.profiling.JfrSampleConverter;
import dev.diagkit.profiling.Profile;
import dev.diagkit.profiling.ProfileType;
import dev.diagkit.profiling.SamplingSettings;
import dev.diagkit.testing.Work;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The profiler against real JFR and real labelled threads: windows chain without gap or
 * overlap, every sample is counted once, labels arrive, and nothing outlives close.
 */
class ContinuousProfilerTests {

	private static final Duration PERIOD = Duration.ofSeconds(1);

	private static final SeriesLabels SERIES = new SeriesLabels("shop", Map.of("env", "test", "instance", "host-1"));

	static volatile long sink;

	@Test
	void windowsChainAndCountEverySampleOnceWithLabels() throws Exception {
		List<ProfileWindow> windows = new CopyOnWriteArrayList<>();
		AtomicBoolean running = new AtomicBoolean(true);
		Thread worker = new Thread(() -> {
			while (running.get()) {
				ProfilingLabels.run(LabelSet.of("tenant", "acme"), () -> sink += Work.burnCpuTime(Duration.ofMillis(20)));
			}
		}, "continuous-worker");
		Set<Path> directoriesBefore = continuousDirectories();
		ContinuousProfiler profiler = new ContinuousProfiler(settings(Set.of(ProfileType.CPU, ProfileType.ALLOC)),
				new SamplingSettings(new SamplingSettings.Values(Duration.ofMillis(10), 500, Duration.ofMillis(5))),
				List.of(new ListSink(windows)), ExportEvents.NONE);
		Path referenceFile = Files.createTempFile("continuous-reference-", ".jfr");
		try (Recording reference = new Recording()) {
			reference.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
			reference.enable("jdk.CPUTimeSample").with("throttle", "10ms");
			reference.start();
			worker.start();
			profiler.start();
			await().atMost(Duration.ofSeconds(60)).until(() -> cpuWindows(windows).size() >= 10);
			Thread.sleep(PERIOD.toMillis() / 2);
			Instant closing = Instant.now();
			profiler.close();
			reference.stop();
			reference.dump(referenceFile);
			List<ProfileWindow> cpu = cpuWindows(windows);
			for (int i = 1; i < cpu.size(); i++) {
				assertThat(cpu.get(i).from()).as("window %d starts where %d ends", i, i - 1)
					.isEqualTo(cpu.get(i - 1).until());
				assertThat(cpu.get(i).sequence()).isEqualTo(cpu.get(i - 1).sequence() + 1);
			}
			ProfileWindow last = cpu.get(cpu.size() - 1);
			assertThat(Duration.between(last.from(), last.until())).as("the last, partial window")
				.isLessThan(PERIOD);
			assertThat(last.until()).isBetween(closing.minusSeconds(1), closing.plusSeconds(1));
			long windowSamples = cpu.stream().mapToLong(ProfileWindow::sampleCount).sum();
			long referenceSamples = countSamples(referenceFile, cpu.get(0).from(), last.until());
			assertThat(windowSamples).as("samples of the windows against one recording over the same span")
				.isBetween(referenceSamples - 1, referenceSamples + 1)
				.isGreaterThan(100);
			long acme = cpu.stream()
				.flatMap((window) -> window.profile().samples().stream())
				.filter((sample) -> "acme".equals(sample.labels().get("tenant")))
				.mapToLong((sample) -> sample.value(0))
				.sum();
			assertThat((double) acme / windowSamples).as("share of samples labelled tenant=acme").isGreaterThan(0.8);
			assertThat(windows).allSatisfy((window) -> {
				assertThat(window.series()).isEqualTo(SERIES);
				assertThat(window.pprof()).isNotEmpty();
			});
			assertThat(windows.stream().filter((w) -> w.type() == ProfileType.ALLOC)).hasSameSizeAs(cpu);
			assertThat(profiler.status().coverage()).isEqualTo(1.0);
			assertThat(profiler.status().windows()).isEqualTo(cpu.size());
		}
		finally {
			running.set(false);
			worker.join(5000);
			profiler.close();
			Files.deleteIfExists(referenceFile);
		}
		assertThat(Thread.getAllStackTraces().keySet()).noneMatch(
				(thread) -> thread.getName().equals(ContinuousProfiler.THREAD_NAME) && thread.isAlive());
		assertThat(FlightRecorder.getFlightRecorder().getRecordings())
			.noneMatch((recording) -> ContinuousProfiler.RECORDING_NAME.equals(recording.getName()));
		assertThat(continuousDirectories()).isEqualTo(directoriesBefore);
		assertThat(windows.get(0).profile().notes()).isNotEmpty();
	}

	@Test
	void closeBeforeTheFirstPeriodDeliversOneShortWindowAndClosesTheSinks() throws Exception {
		List<ProfileWindow> windows = new CopyOnWriteArrayList<>();
		ListSink listSink = new ListSink(windows);
		ContinuousProfiler profiler = new ContinuousProfiler(settings(Set.of(ProfileType.CPU)),
				new SamplingSettings(new SamplingSettings.Values(Duration.ofMillis(10), 500, Duration.ofMillis(5))),
				List.of(listSink), ExportEvents.NONE);
		profiler.start();
		await().atMost(Duration.ofSeconds(10)).until(() -> profiler.status().startedAt() != null);
		profiler.close();
		assertThat(windows).hasSize(1);
		assertThat(listSink.flushed).isTrue();
		assertThat(listSink.closed).isTrue();
		assertThat(profiler.status().running()).isFalse();
	}

	/**
	 * On JDK 25 only in the shared test JVM: JDK 17 starts the old-object sampler only when the
	 * JVM's first JFR recording enabled it ({@code LiveHeapChildJvmTests} covers JDK 17).
	 */
	@Test
	@Tag("jdk21")
	void liveWindowsListHeldObjectsWithTheLabelsTheyWereAllocatedUnder() throws Exception {
		List<ProfileWindow> windows = new CopyOnWriteArrayList<>();
		AtomicBoolean running = new AtomicBoolean(true);
		List<byte[]> held = new ArrayList<>();
		Thread worker = new Thread(() -> ProfilingLabels.run(LabelSet.of("tenant", "acme"), () -> {
			while (running.get()) {
				retainForAcme(held);
			}
		}), "continuous-live-worker");
		ContinuousProfiler profiler = new ContinuousProfiler(settings(Set.of(ProfileType.CPU, ProfileType.LIVE)),
				new SamplingSettings(new SamplingSettings.Values(Duration.ofMillis(10), 500, Duration.ofMillis(5))),
				List.of(new ListSink(windows)), ExportEvents.NONE);
		try {
			worker.start();
			profiler.start();
			await().atMost(Duration.ofSeconds(30))
				.until(() -> windows.stream().filter((w) -> w.type() == ProfileType.LIVE).count() >= 4);
		}
		finally {
			running.set(false);
			worker.join(5000);
			profiler.close();
		}
		List<ProfileWindow> live = windows.stream().filter((w) -> w.type() == ProfileType.LIVE).toList();
		List<Profile.Sample> heldSamples = live.stream()
			.flatMap((window) -> window.profile().samples().stream())
			.filter((sample) -> sample.stack().stream().anyMatch((frame) -> frame.methodName().equals("retainForAcme")))
			.toList();
		assertThat(heldSamples).as("held objects in the live windows: %s", live.stream()
			.map((window) -> window.profile().samples().size() + " samples, " + window.profile().notes())
			.toList()).isNotEmpty();
		assertThat(heldSamples).allSatisfy((sample) -> assertThat(sample.labels()).isIn(LabelSet.of("tenant", "acme"),
				JfrSampleConverter.UNLABELLED));
		assertThat(heldSamples).anySatisfy((sample) -> assertThat(sample.labels()).isEqualTo(LabelSet.of("tenant", "acme")));
		assertThat(live.get(live.size() - 1).profile().notes()).anyMatch((note) -> note.contains("old-object sampler"));
	}

	private static void retainForAcme(List<byte[]> held) {
		// large arrays: the sampler's queue keeps the samples that stand for the most
		// allocation, so these win places over whatever earlier tests left alive
		if (held.size() < 600) {
			held.add(new byte[64 * 1024]);
		}
		if (held.size() % 100 == 0) {
			// the sampler reports objects once a collection found them alive
			System.gc();
		}
		LockSupport.parkNanos(2_000_000);
	}

	private static ContinuousProfiler.Settings settings(Set<ProfileType> types) {
		return new ContinuousProfiler.Settings(PERIOD, types, SERIES, Duration.ofMillis(300), Duration.ofSeconds(5),
				4L * 1024 * 1024, 0.5, 20_000);
	}

	private static List<ProfileWindow> cpuWindows(List<ProfileWindow> windows) {
		return windows.stream().filter((window) -> window.type() == ProfileType.CPU).toList();
	}

	private static long countSamples(Path file, Instant from, Instant until) throws Exception {
		long count = 0;
		try (RecordingFile recording = new RecordingFile(file)) {
			while (recording.hasMoreEvents()) {
				RecordedEvent event = recording.readEvent();
				String name = event.getEventType().getName();
				if ((name.equals("jdk.ExecutionSample") || name.equals("jdk.CPUTimeSample"))
						&& event.getStackTrace() != null && !event.getEndTime().isBefore(from)
						&& event.getEndTime().isBefore(until)) {
					count++;
				}
			}
		}
		return count;
	}

	private static Set<Path> continuousDirectories() throws Exception {
		try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
			return Set.copyOf(files.filter((file) -> file.getFileName().toString().startsWith("diagkit-continuous-"))
				.toList());
		}
	}

	private static final class ListSink implements ProfileSink {

		private final List<ProfileWindow> windows;

		private volatile boolean flushed;

		private volatile boolean closed;

		ListSink(List<ProfileWindow> windows) {
			this.windows = windows;
		}

		@Override
		public String name() {
			return "list";
		}

		@Override
		public void accept(ProfileWindow window) {
			this.windows.add(window);
		}

		@Override
		public void flush(Duration timeout) {
			this.flushed = true;
		}

		@Override
		public void close() {
			this.closed = true;
		}

	}

}
