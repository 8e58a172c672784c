package dev.diagkit.memory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import dev.diagkit.memory.HeapTargetPolicy.Decision;
import dev.diagkit.runtime.CgroupMemory;
import dev.diagkit.runtime.GcActivity;
import dev.diagkit.runtime.ProcessCgroup;
import dev.diagkit.runtime.ProcessThreadTimes;
import dev.diagkit.testing.ChildJvm;

/**
 * The adaptive heap target in a JVM of its own, against a PSI file of the kernel's format
 * that the child writes itself: 100 MB stay live while some garbage churns; pressure
 * {@code some avg10=40} is written until the target stops falling, then {@code 0.20} until it
 * is back at the base, a decision every 300 ms; then the controller is closed. Reports the collector, the base, the
 * lowest {@code SoftMaxHeapSize} read back from the JVM and the floor it was held to, the
 * value after the pressure ended and after closing, and the reasons of the changes.
 * Arguments: the results file, the PSI file.
 */
public final class AdaptiveHeapChildMain {

	static volatile Object sink;

	private AdaptiveHeapChildMain() {
	}

	public static void main(String[] args) throws Exception {
		Path psi = Path.of(args[1]);
		writePressure(psi, 0.0);
		List<byte[]> live = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			live.add(new byte[1024 * 1024]);
		}
		Thread churn = new Thread(() -> {
			// 64 MB/s of garbage: enough for regular collections, little GC CPU
			while (true) {
				sink = new byte[64 * 1024];
				LockSupport.parkNanos(1_000_000);
			}
		}, "churn");
		churn.setDaemon(true);
		churn.start();
		SoftMaxHeapSizeLever readBack = new SoftMaxHeapSizeLever();
		long original = readBack.current();
		Collector collector = Collector.running();
		long base = Runtime.getRuntime().maxMemory();
		Properties results = new Properties();
		try (GcActivity gc = new GcActivity();
				AdaptiveHeapController controller = new AdaptiveHeapController(
						new AdaptiveHeapController.Settings(Duration.ofMillis(300), base, 32),
						// no back-off: an almost idle process's 300 ms periods read the collector
						// at 50% now and then, and the back-off has tests of its own
						new HeapTargetPolicy(noBackOff()),
						HeapLever.of(collector, base, Duration.ofMillis(300), gc::heapAfterGc),
						MemoryPressureSource.discover(psi, CgroupMemory.forThisProcess(), ProcessCgroup.PROC_ROOT)
							.orElseThrow(),
						new GcCpuShare(ProcessThreadTimes.forThisProcess()), gc::heapAfterGc)) {
			// driven period by period here, so that what the JVM holds is read between two decisions
			writePressure(psi, 40.0);
			Decision decision = stepUntil(controller, (d) -> d.target() == d.floor());
			results.setProperty("lowest", Long.toString(readBack.current()));
			results.setProperty("floor", Long.toString(decision.floor()));
			results.setProperty("target", Long.toString(decision.target()));
			writePressure(psi, 0.2);
			stepUntil(controller, (d) -> d.target() == base);
			results.setProperty("restored", Long.toString(readBack.current()));
			results.setProperty("reasons", reasons(controller));
		}
		results.setProperty("collector", collector.name());
		results.setProperty("advice", HeapLever.of(collector, base, Duration.ofSeconds(10), () -> -1).advice().orElse(""));
		results.setProperty("base", Long.toString(base));
		results.setProperty("afterClose", Long.toString(readBack.current()));
		results.setProperty("original", Long.toString(original));
		results.setProperty("live", Integer.toString(live.size()));
		ChildJvm.report(args[0], results);
	}

	/** The reasons of the controller's changes, each once, in the order they first came. */
	static String reasons(AdaptiveHeapController controller) {
		return controller.status()
			.history()
			.stream()
			.map((change) -> change.decision().reason().name())
			.distinct()
			.collect(Collectors.joining(","));
	}

	/** Writes a PSI file as the kernel writes {@code memory.pressure}. */
	static void writePressure(Path psi, double some) throws Exception {
		Files.writeString(psi, String.format(Locale.ROOT,
				"some avg10=%.2f avg60=0.00 avg300=0.00 total=1000%nfull avg10=0.00 avg60=0.00 avg300=0.00 total=10%n",
				some));
	}

	private static HeapTargetPolicy.Settings noBackOff() {
		HeapTargetPolicy.Settings defaults = HeapTargetPolicy.Settings.DEFAULTS;
		return new HeapTargetPolicy.Settings(defaults.highPressure(), defaults.lowPressure(), defaults.reduceRatio(),
				defaults.floorRatio(), defaults.liveHeadroom(), 1.0);
	}

	private static Decision stepUntil(AdaptiveHeapController controller, Predicate<Decision> condition)
			throws InterruptedException {
		for (int i = 0; i < 40; i++) {
			Thread.sleep(300);
			Decision decision = controller.step();
			if (condition.test(decision)) {
				return decision;
			}
		}
		throw new IllegalStateException("the heap target did not settle in 40 periods: " + controller.status());
	}

}
