package dev.diagkit.memory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeMap;

import dev.diagkit.testing.ChildJvm;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Committed heap given back under memory pressure and the target back at its base after it,
 * in child JVMs with a 400 MB heap (390 MB of it committed at start) and 100 MB live, the
 * controller deciding every second on its own thread: ZGC and Shenandoah through
 * {@code SoftMaxHeapSize}, G1 through its free ratios. The collector's share of CPU stays
 * under the cap; when the collector runs back to back, it goes over and the controller backs
 * off, and does not tighten to that target again while the pressure lasts.
 */
class HeapShrinkChildJvmTests {

	private static final Log logger = LogFactory.getLog(HeapShrinkChildJvmTests.class);

	/** Below the maximum: Shenandoah uncommits nothing when the two are equal. */
	private static final List<String> HEAP = List.of("-Xmx400m", "-XX:InitialHeapSize=390m");

	@TempDir
	Path dir;

	@Test
	void zgcGivesBackAThirdOfItsCommittedHeapUnderPressure() throws Exception {
		Properties results = run(List.of("-XX:+UseZGC", "-XX:ZUncommitDelay=1"));
		assertThat(results.getProperty("collector")).isEqualTo("ZGC");
		assertShrunk(results, 0.7);
	}

	/**
	 * Shenandoah with a 1 s uncommit delay already gives back what it does not use between
	 * collections, so its committed heap swings (140 to 350 MB here on JDK 25) before any
	 * pressure: what the target changes is its ceiling.
	 */
	@Test
	void shenandoahKeepsItsCommittedHeapUnderTheTighterTarget() throws Exception {
		assumeTrue(ChildJvm.supports("-XX:+UseShenandoahGC"), "this JDK has no Shenandoah");
		Properties results = run(List.of("-XX:+UseShenandoahGC", "-XX:+UnlockExperimentalVMOptions",
				"-XX:ShenandoahUncommitDelay=1000"));
		assertThat(results.getProperty("collector")).isEqualTo("SHENANDOAH");
		long settled = Long.parseLong(results.getProperty("highestCommittedSettled"));
		long target = Long.parseLong(results.getProperty("lowestTarget"));
		assertThat(target).as("target under pressure").isLessThan(Long.parseLong(results.getProperty("base")));
		assertThat(settled).as("highest committed heap once the target settled (%s)", results)
			.isLessThanOrEqualTo(Math.round(target * 1.15))
			.isLessThan(Long.parseLong(results.getProperty("highestCommittedBefore")));
		assertCommon(results);
	}

	@Test
	void g1GivesBackAFifthOfItsCommittedHeapUnderPressure() throws Exception {
		Properties results = run(List.of("-XX:+UseG1GC"));
		assertThat(results.getProperty("collector")).isEqualTo("G1");
		assertShrunk(results, 0.8);
	}

	@Test
	void aCollectorOverTheCapMakesTheTargetBackOffAndNotTightenAgain() throws Exception {
		Properties results = run(List.of("-XX:+UseZGC", "-XX:ZUncommitDelay=1", "-Dstorm=true"), "10s");
		assertThat(Double.parseDouble(results.getProperty("maxGcShare"))).as("GC share (%s)", results)
			.isGreaterThan(0.3);
		assertThat(results.getProperty("reasons")).as("reasons").contains("PRESSURE", "GC_BACK_OFF");
		assertThat(results.getProperty("tightenedAfterBackOff")).as("tightened again under the same pressure")
			.isEqualTo("false");
	}

	private Properties run(List<String> collector) throws Exception {
		return run(collector, "15s");
	}

	private Properties run(List<String> collector, String pressure, String... liveAndCap) throws Exception {
		List<String> options = new ArrayList<>(collector);
		options.addAll(HEAP);
		List<String> args = new ArrayList<>(List.of(this.dir.resolve("memory.pressure").toString(), "1s", pressure));
		args.addAll(List.of(liveAndCap));
		Properties results = ChildJvm.run(HeapShrinkChildMain.class, options, args.toArray(String[]::new));
		// the figures docs/memory.md quotes
		logger.info(Runtime.version() + " " + collector + ": " + new TreeMap<>(results));
		return results;
	}

	private static void assertShrunk(Properties results, double ratio) {
		long before = Long.parseLong(results.getProperty("committedBefore"));
		long lowest = Long.parseLong(results.getProperty("lowestCommitted"));
		assertThat(lowest).as("lowest committed heap under pressure (%s)", results)
			.isLessThanOrEqualTo(Math.round(before * ratio));
		assertCommon(results);
	}

	private static void assertCommon(Properties results) {
		assertThat(results.getProperty("advice")).as("advice with a short uncommit delay and -Xms under -Xmx").isEmpty();
		assertThat(Long.parseLong(results.getProperty("lowestTarget")))
			.isGreaterThanOrEqualTo(Long.parseLong(results.getProperty("floor")));
		assertThat(Long.parseLong(results.getProperty("baseAgainAfter"))).as("back at the base after, ms")
			.isLessThan(60_000);
		assertThat(Double.parseDouble(results.getProperty("maxGcShare"))).as("GC share of CPU").isLessThan(0.3);
		assertThat(results.getProperty("reasons")).contains("PRESSURE", "PRESSURE_GONE");
	}

}
