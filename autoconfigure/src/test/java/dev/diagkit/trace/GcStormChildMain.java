package dev.diagkit.trace;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.diagkit.labels.LabelSet;
import dev.diagkit.labels.ProfilingLabels;
import dev.diagkit.profiling.SamplingSettings;
import dev.diagkit.testing.ChildJvm;

/**
 * An allocation storm under a pause target the collector cannot keep: requests that each
 * allocate and retain a slice of a rotating 48 MB set, traced and analysed; reports the
 * ids of the findings and the gc-pauses evidence.
 */
public final class GcStormChildMain {

	private static final int SLOTS = 48;

	private GcStormChildMain() {
	}

	public static void main(String[] args) throws Exception {
		byte[][] retained = new byte[SLOTS][];
		AtomicBoolean running = new AtomicBoolean(true);
		LabelSet labels = LabelSet.of("tenant", "acme", "endpoint", "GET /feed");
		Thread storm = new Thread(() -> {
			int slot = 0;
			while (running.get()) {
				int next = slot++ % SLOTS;
				ProfilingLabels.run(labels, () -> {
					try (DiagTask task = DiagTrace.task("GET /feed")) {
						// a megabyte kept for a while, in small pieces the collector must copy
						byte[][] pieces = new byte[256][];
						for (int i = 0; i < pieces.length; i++) {
							pieces[i] = new byte[4096];
						}
						retained[next] = pieces[pieces.length - 1];
						retained[(next + 1) % SLOTS] = new byte[1024 * 1024];
					}
				});
			}
		}, "storm");
		storm.setDaemon(true);
		storm.start();
		SamplingSettings sampling = new SamplingSettings(
				new SamplingSettings.Values(Duration.ofMillis(10), 100, Duration.ofMillis(10)));
		Properties results = new Properties();
		try (TraceRecorder recorder = new TraceRecorder(sampling)) {
			Path file = recorder.record(Duration.ofSeconds(3), "profile");
			TraceReport report = new TraceAnalyzer(0.8).analyze(file, "capture");
			Files.delete(file);
			recorder.deleted(file);
			results.setProperty("findings", String.join(",", report.findings().stream().map(Finding::id).toList()));
			report.findings().stream().filter((f) -> f.id().equals("gc-pauses")).findFirst().ifPresent((f) -> {
				f.evidence().forEach((key, value) -> results.setProperty("gc." + key, String.valueOf(value)));
				results.setProperty("gc.severity", f.severity().toString());
			});
			results.setProperty("text", report.toText());
		}
		running.set(false);
		ChildJvm.report(args[0], results);
	}

}
