package dev.diagkit.trace;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.locks.LockSupport;

import dev.diagkit.profiling.SamplingSettings;
import dev.diagkit.testing.ChildJvm;

/**
 * Records two traces of a JVM busy parking threads (every park over a zero threshold is an
 * event), one capped and one not, and reports their sizes.
 */
public final class TraceSizeChildMain {

	private TraceSizeChildMain() {
	}

	public static void main(String[] args) throws Exception {
		long maxBytes = Long.parseLong(args[1]);
		List<Thread> parkers = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			Thread parker = new Thread(() -> {
				while (!Thread.currentThread().isInterrupted()) {
					LockSupport.parkNanos(1_000);
				}
			});
			parker.setDaemon(true);
			parker.start();
			parkers.add(parker);
		}
		SamplingSettings sampling = new SamplingSettings(
				new SamplingSettings.Values(Duration.ofMillis(10), 100, Duration.ZERO));
		Properties results = new Properties();
		try (TraceRecorder recorder = new TraceRecorder(sampling)) {
			Path capped = recorder.record(Duration.ofSeconds(6), "profile", maxBytes);
			results.setProperty("capped", Long.toString(Files.size(capped)));
			Files.delete(capped);
			Path uncapped = recorder.record(Duration.ofSeconds(6), "profile", 0);
			results.setProperty("uncapped", Long.toString(Files.size(uncapped)));
			Files.delete(uncapped);
		}
		parkers.forEach(Thread::interrupt);
		ChildJvm.report(args[0], results);
	}

}
