package dev.diagkit.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.diagkit.labels.LabelSet;
import dev.diagkit.labels.ProfilingLabels;
import dev.diagkit.profiling.PprofWriter;
import dev.diagkit.profiling.Profile;
import dev.diagkit.profiling.ProfileRecorder;
import dev.diagkit.profiling.ProfileType;
import dev.diagkit.profiling.SamplingSettings;

/**
 * Time and peak heap to turn a recording of a busy two-core application into pprof: records
 * CPU for the given seconds while two labelled threads burn CPU through a few hundred
 * distinct stacks, then converts it five times and reports the fastest conversion, the peak
 * heap used (from the memory pools' peaks, reset before converting) and the pprof size, in
 * one log line. Run it in a JVM of its own, with a small heap to prove the bound:
 * <pre>
 * java -Xmx64m -cp benchmarks/target/benchmarks.jar dev.diagkit.benchmarks.ProfileConversion 60
 * </pre>
 */
public final class ProfileConversion {

	private static final System.Logger logger = System.getLogger(ProfileConversion.class.getName());

	static volatile long sink;

	private ProfileConversion() {
	}

	public static void main(String[] args) throws Exception {
		int seconds = (args.length > 0) ? Integer.parseInt(args[0]) : 60;
		ProfileRecorder recorder = new ProfileRecorder(new SamplingSettings(
				new SamplingSettings.Values(Duration.ofMillis(10), 150, Duration.ofMillis(10))));
		AtomicBoolean running = new AtomicBoolean(true);
		List<Thread> burners = new ArrayList<>();
		for (String tenant : new String[] { "acme", "globex" }) {
			Thread thread = new Thread(() -> ProfilingLabels.run(LabelSet.of("tenant", tenant), () -> {
				long i = 0;
				while (running.get()) {
					sink += Stacks.call((int) (i++ % 300), 12);
				}
			}), "burner-" + tenant);
			thread.start();
			burners.add(thread);
		}
		Path jfr = recorder.recordFile(ProfileType.CPU, Duration.ofSeconds(seconds));
		running.set(false);
		for (Thread thread : burners) {
			thread.join();
		}
		try {
			long best = Long.MAX_VALUE;
			int size = 0;
			int samples = 0;
			System.gc();
			ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
			for (int run = 0; run < 5; run++) {
				long start = System.nanoTime();
				Profile profile = recorder.read(ProfileType.CPU, jfr, Duration.ofSeconds(seconds));
				byte[] pprof = new PprofWriter().write(profile);
				best = Math.min(best, System.nanoTime() - start);
				size = pprof.length;
				samples = profile.samples().size();
			}
			long peakHeap = ManagementFactory.getMemoryPoolMXBeans()
				.stream()
				.filter((pool) -> pool.getType() == MemoryType.HEAP)
				.mapToLong((pool) -> pool.getPeakUsage().getUsed())
				.sum();
			String report = String.format("recording %d s, %d KiB of JFR; conversion to pprof: best %.0f ms, "
					+ "peak heap %.1f MiB (max %.0f MiB), %d distinct samples, pprof %d KiB%n", seconds,
					Files.size(jfr) / 1024, best / 1e6, peakHeap / 1048576.0,
					Runtime.getRuntime().maxMemory() / 1048576.0, samples, size / 1024);
			logger.log(System.Logger.Level.INFO, report.strip());
		}
		finally {
			Files.deleteIfExists(jfr);
		}
	}

	/** A few hundred distinct stacks: the burners recurse through these to a chosen depth. */
	static final class Stacks {

		private Stacks() {
		}

		static long call(int shape, int depth) {
			if (depth == 0) {
				long x = shape;
				for (int i = 0; i < 2_000; i++) {
					x += Long.numberOfTrailingZeros(x + i);
				}
				return x;
			}
			return switch ((shape + depth) % 3) {
				case 0 -> a(shape, depth - 1);
				case 1 -> b(shape, depth - 1);
				default -> c(shape, depth - 1);
			};
		}

		static long a(int shape, int depth) {
			return call(shape / 2 + 1, depth);
		}

		static long b(int shape, int depth) {
			return call(shape / 3 + 2, depth);
		}

		static long c(int shape, int depth) {
			return call(shape + 1, depth);
		}

	}

}
