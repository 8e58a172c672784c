package dev.diagkit.trace;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.diagkit.labels.LabelSet;
import dev.diagkit.labels.ProfilingLabels;
import dev.diagkit.profiling.SamplingSettings;

/**
 * Workloads that provoke (or not) each pattern the analysis looks for, recorded by a real
 * {@link TraceRecorder} and read by a real {@link TraceAnalyzer}.
 */
final class TraceScenarios {

	private TraceScenarios() {
	}

	/**
	 * Runs each workload on a thread of its own, repeatedly, from the moment the trace records
	 * until it ends, and returns the analysis.
	 */
	static TraceReport analyse(Duration duration, List<Runnable> workloads) throws Exception {
		return analyse(duration, workloads, false);
	}

	/**
	 * As {@link #analyse(Duration, List)}, with JDK Mission Control's rules too when
	 * {@code jmcRules}.
	 */
	static TraceReport analyse(Duration duration, List<Runnable> workloads, boolean jmcRules) throws Exception {
		SamplingSettings sampling = new SamplingSettings(
				new SamplingSettings.Values(Duration.ofMillis(10), 100, Duration.ofMillis(1)));
		AtomicBoolean running = new AtomicBoolean(true);
		List<Thread> threads = new ArrayList<>();
		for (int i = 0; i < workloads.size(); i++) {
			Runnable workload = workloads.get(i);
			Thread thread = new Thread(() -> {
				try {
					while (!DiagTrace.isEnabled()) {
						Thread.sleep(5);
					}
					while (running.get() && DiagTrace.isEnabled()) {
						workload.run();
					}
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}, "scenario-" + i);
			thread.setDaemon(true);
			threads.add(thread);
			thread.start();
		}
		try (TraceRecorder recorder = new TraceRecorder(sampling)) {
			java.time.Instant started = java.time.Instant.now();
			Path file = recorder.record(duration, "profile");
			try {
				return new TraceAnalyzer(0.8, jmcRules).analyze(file, "capture", started);
			}
			finally {
				Files.delete(file);
				recorder.deleted(file);
			}
		}
		finally {
			running.set(false);
			for (Thread thread : threads) {
				thread.join(5000);
			}
		}
	}

	/** A request of a tenant on an endpoint: a task under its labels. */
	static Runnable request(String tenant, String endpoint, Runnable work) {
		LabelSet labels = LabelSet.of("tenant", tenant, "endpoint", endpoint);
		return () -> ProfilingLabels.run(labels, () -> {
			try (DiagTask task = DiagTrace.task(endpoint)) {
				work.run();
			}
		});
	}

	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** About {@code millis} of CPU, in pure Java. */
	static long burn(long millis) {
		long until = System.nanoTime() + millis * 1_000_000;
		long x = 0;
		while (System.nanoTime() < until) {
			for (int i = 0; i < 10_000; i++) {
				x += Long.numberOfTrailingZeros(x + i) ^ (x >>> 3);
			}
		}
		return x;
	}

	/** What the contended threads queue on. */
	static final class Ledger {

		private long entries;

		synchronized void post() {
			this.entries++;
			sleep(10);
		}

	}

}
