package dev.diagkit.capacity;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import dev.diagkit.runtime.ProcessThreadTimes;
import dev.diagkit.runtime.QueueWaitRecorder;
import dev.diagkit.testing.ChildJvm;

/**
 * A child JVM for {@link CapacityChildJvmTests}: runs a calm or a GC-heavy workload under a
 * {@link CapacitySampler} sampling every 250 ms, then reports each budget's verdict and the
 * median GC share. Arguments: the results file, {@code calm} or {@code gc-heavy}, seconds. System properties: {@code live}, the
 * megabytes kept live by the GC-heavy workload (80), and {@code gcShareCritical}, the CPU
 * budget's critical threshold (0.5).
 */
public final class CapacityWorkloadMain {

	private static volatile Object sink;

	private CapacityWorkloadMain() {
	}

	public static void main(String[] args) throws Exception {
		boolean heavy = "gc-heavy".equals(args[1]);
		long seconds = Long.parseLong(args[2]);
		double gcShareCritical = Double.parseDouble(System.getProperty("gcShareCritical", "0.5"));
		CapacitySettings settings = new CapacitySettings(Duration.ofMillis(250), List.of(Duration.ofMinutes(1)),
				new CapacitySettings.Cpu(0.25, gcShareCritical), new CapacitySettings.Memory(1.3),
				new CapacitySettings.Threads(1.5, 1000), new CapacitySettings.Latency(Duration.ofMillis(1), 0.25),
				new CapacitySettings.Gc(Duration.ofMillis(10)));
		ProcessThreadTimes times = ProcessThreadTimes.forThisProcess();
		QueueWaitRecorder waits = new QueueWaitRecorder();
		ExecutorService executor = Executors.newSingleThreadExecutor();
		// build and store a report once while the heap has room: its classes, lambdas and
		// formatters load now, not when the live set leaves the last report a few megabytes
		try (CapacitySampler warmUp = new CapacitySampler(settings, times, waits)) {
			warmUp.sample();
			Properties warm = new Properties();
			warm.setProperty("summary", warmUp.report().toText());
			warm.store(new ByteArrayOutputStream(), "warm-up");
		}
		List<byte[]> live = new ArrayList<>();
		int liveMegabytes = heavy ? Integer.getInteger("live", 76) : 10;
		for (int i = 0; i < liveMegabytes * 1024; i++) {
			live.add(new byte[1024]);
		}
		System.gc();
		try (CapacitySampler sampler = new CapacitySampler(settings, times, waits)) {
			long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
			long nextSample = System.nanoTime();
			ThreadLocalRandom random = ThreadLocalRandom.current();
			while (System.nanoTime() < end) {
				if (System.nanoTime() >= nextSample) {
					sampler.sample();
					executor.execute(waits.wrap("calm", () -> sink = new byte[16]));
					nextSample += settings.sampleInterval().toNanos();
				}
				if (heavy) {
					// replace live objects, so that the old generation fills with garbage too
					for (int i = 0; i < 1000; i++) {
						live.set(random.nextInt(live.size()), new byte[1024]);
					}
				}
				else {
					Thread.sleep(20);
				}
			}
			sampler.sample();
			CapacityReport report = sampler.report();
			Properties results = new Properties();
			for (Map.Entry<String, Budget> budget : Map.of("cpu", report.cpu(), "memory", report.memory(), "threads",
					report.threads(), "latency", report.latency(), "gc", report.gc()).entrySet()) {
				results.setProperty("verdict." + budget.getKey(), budget.getValue().verdict().label());
			}
			results.setProperty("gcShare", Double.toString(report.cpu().value()));
			results.setProperty("samples", Long.toString(report.samples()));
			// what the CPU budget decided on, for the message of a failed assertion
			results.setProperty("cpu.figures", report.cpu().figures().toString());
			ChildJvm.report(args[0], results);
		}
		executor.shutdownNow();
		sink = live;
	}

}
