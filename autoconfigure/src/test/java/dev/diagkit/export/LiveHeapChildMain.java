package dev.diagkit.export;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import dev.diagkit.labels.LabelSet;
import dev.diagkit.labels.ProfilingLabels;
import dev.diagkit.profiling.Profile;
import dev.diagkit.profiling.ProfileType;
import dev.diagkit.profiling.SamplingSettings;
import dev.diagkit.testing.ChildJvm;
import jdk.jfr.Recording;

/**
 * Continuous live-heap windows in a JVM of their own, as an application gets them: an
 * unrelated JFR recording (a CPU profile) runs first, then a thread
 * labelled {@code tenant=acme} keeps 64 KiB arrays while continuous profiling records
 * {@code cpu} and {@code live} windows of one second. Reports how many held objects the
 * live windows listed, how many of them carried acme's labels, and the notes of the last.
 */
public final class LiveHeapChildMain {

	private LiveHeapChildMain() {
	}

	public static void main(String[] args) throws Exception {
		try (Recording first = new Recording()) {
			// what an on-demand CPU profile taken before would have left
			first.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
			first.start();
			Thread.sleep(1000);
			first.stop();
		}
		List<ProfileWindow> windows = new CopyOnWriteArrayList<>();
		List<byte[]> held = new ArrayList<>();
		AtomicBoolean running = new AtomicBoolean(true);
		Thread worker = new Thread(() -> ProfilingLabels.run(LabelSet.of("tenant", "acme"), () -> {
			while (running.get()) {
				if (held.size() < 600) {
					held.add(new byte[64 * 1024]);
				}
				if (held.size() % 100 == 0) {
					// the sampler reports objects once a collection found them alive
					System.gc();
				}
				LockSupport.parkNanos(2_000_000);
			}
		}), "live-worker");
		ContinuousProfiler profiler = new ContinuousProfiler(
				new ContinuousProfiler.Settings(Duration.ofSeconds(1), Set.of(ProfileType.CPU, ProfileType.LIVE),
						new SeriesLabels("live", Map.of()), Duration.ofMillis(300), Duration.ofSeconds(5),
						4L * 1024 * 1024, 0.5, 20_000),
				new SamplingSettings(new SamplingSettings.Values(Duration.ofMillis(10), 150, Duration.ofMillis(10))),
				List.of(new Collect(windows)), ExportEvents.NONE);
		worker.start();
		profiler.start();
		Thread.sleep(4500);
		running.set(false);
		worker.join();
		profiler.close();
		long heldSamples = 0;
		long acme = 0;
		String lastNotes = "";
		for (ProfileWindow window : windows) {
			if (window.type() != ProfileType.LIVE) {
				continue;
			}
			lastNotes = String.join(" | ", window.profile().notes());
			for (Profile.Sample sample : window.profile().samples()) {
				if (sample.stack().stream().anyMatch((frame) -> frame.methodName().startsWith("lambda$main"))) {
					heldSamples += sample.value(0);
					if ("acme".equals(sample.labels().get("tenant"))) {
						acme += sample.value(0);
					}
				}
			}
		}
		Properties results = new Properties();
		results.setProperty("held", Long.toString(heldSamples));
		results.setProperty("acme", Long.toString(acme));
		results.setProperty("notes", lastNotes);
		ChildJvm.report(args[0], results);
	}

	private record Collect(List<ProfileWindow> windows) implements ProfileSink {

		@Override
		public String name() {
			return "collect";
		}

		@Override
		public void accept(ProfileWindow window) {
			this.windows.add(window);
		}

	}

}
