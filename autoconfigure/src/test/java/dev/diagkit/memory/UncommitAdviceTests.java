package dev.diagkit.memory;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link UncommitAdvice} on the VM options a JVM reports, as {@code HotSpotDiagnosticMXBean}
 * gives them (strings; the delay in seconds on ZGC, milliseconds on Shenandoah). The child
 * JVMs of {@link AdaptiveHeapChildJvmTests} and {@link HeapShrinkChildJvmTests} check it on
 * real collectors.
 */
class UncommitAdviceTests {

	private static final Map<String, String> HEAP = Map.of("InitialHeapSize", "27262976", "MaxHeapSize",
			"419430400");

	@Test
	void zgcWithItsDefaultDelayIsToldTheOptionToAdd() {
		assertThat(UncommitAdvice.of(Collector.ZGC, with("ZUncommit", "true", "ZUncommitDelay", "300")))
			.hasValueSatisfying((advice) -> assertThat(advice).contains("ZUncommitDelay, 300 s here",
					"-XX:ZUncommitDelay=5"));
		assertThat(UncommitAdvice.of(Collector.ZGC, with("ZUncommit", "true", "ZUncommitDelay", "5"))).isEmpty();
	}

	@Test
	void shenandoahsDelayIsReadInMilliseconds() {
		assertThat(UncommitAdvice.of(Collector.SHENANDOAH,
				with("ShenandoahUncommit", "true", "ShenandoahUncommitDelay", "300000")))
			.hasValueSatisfying((advice) -> assertThat(advice).contains("300 s here",
					"-XX:ShenandoahUncommitDelay=5000"));
		assertThat(UncommitAdvice.of(Collector.SHENANDOAH,
				with("ShenandoahUncommit", "true", "ShenandoahUncommitDelay", "5000")))
			.isEmpty();
	}

	@Test
	void uncommitTurnedOffOrAnInitialHeapAtTheMaximumReturnsNothing() {
		assertThat(UncommitAdvice.of(Collector.ZGC, with("ZUncommit", "false", "ZUncommitDelay", "5")))
			.hasValueSatisfying((advice) -> assertThat(advice).contains("-XX:-ZUncommit"));
		assertThat(UncommitAdvice.of(Collector.G1,
				Map.of("InitialHeapSize", "419430400", "MaxHeapSize", "419430400")::get))
			.hasValueSatisfying((advice) -> assertThat(advice).contains("-Xms equals -Xmx", "400 MB"));
		assertThat(UncommitAdvice.of(Collector.G1, HEAP::get)).isEmpty();
		assertThat(UncommitAdvice.of(Collector.SERIAL,
				Map.of("InitialHeapSize", "419430400", "MaxHeapSize", "419430400")::get))
			.as("observe-only: nothing to give back")
			.isEmpty();
	}

	private static Function<String, String> with(String flag, String on, String delayFlag,
			String delay) {
		Map<String, String> options = new HashMap<>(HEAP);
		options.put(flag, on);
		options.put(delayFlag, delay);
		return options::get;
	}

}
