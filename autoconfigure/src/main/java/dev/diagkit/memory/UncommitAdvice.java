package dev.diagkit.memory;

import java.lang.management.ManagementFactory;
import java.util.Optional;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import com.sun.management.HotSpotDiagnosticMXBean;

/**
 * Whether the JVM's start options let a tighter heap target give memory back soon. They are
 * product options that cannot be changed at run time, so a controller started without them
 * would lower the target and see nothing happen for minutes: it says so once, at start.
 */
final class UncommitAdvice {

	/** An uncommit delay above this many seconds is worth a warning. */
	static final long LONGEST_DELAY_SECONDS = 30;

	private UncommitAdvice() {
	}

	/**
	 * Returns what to change, if anything, for the running JVM.
	 * @param collector the running collector
	 * @return the advice, empty when the options let the heap be given back within seconds
	 */
	static Optional<String> of(Collector collector) {
		HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
		return of(collector, (name) -> {
			try {
				return hotspot.getVMOption(name).getValue();
			}
			catch (IllegalArgumentException ex) {
				return null;
			}
		});
	}

	static Optional<String> of(Collector collector, Function<String, @Nullable String> options) {
		@Nullable String initial = options.apply("InitialHeapSize");
		@Nullable String max = options.apply("MaxHeapSize");
		@Nullable String name = switch (collector) {
			case ZGC -> "ZGC";
			case SHENANDOAH -> "Shenandoah";
			case G1 -> "G1";
			default -> null;
		};
		if (name == null) {
			return Optional.empty();
		}
		if (initial != null && max != null && initial.equals(max)) {
			return Optional.of(name + " does not give back heap below -Xms, and -Xms equals -Xmx here ("
					+ Long.parseLong(max) / (1024 * 1024) + " MB): a lower heap target makes collections earlier but "
					+ "returns no memory. Start the JVM with a lower -Xms (see docs/memory.md)");
		}
		return switch (collector) {
			case ZGC -> uncommit(options, "ZUncommit", "ZUncommitDelay", 1, "-XX:ZUncommitDelay=5", name);
			case SHENANDOAH -> uncommit(options, "ShenandoahUncommit", "ShenandoahUncommitDelay", 1000,
					"-XX:+UnlockExperimentalVMOptions -XX:ShenandoahUncommitDelay=5000", name);
			default -> Optional.empty();
		};
	}

	private static Optional<String> uncommit(Function<String, @Nullable String> options, String flag, String delayFlag,
			long unitsPerSecond, String suggestion, String name) {
		if ("false".equals(options.apply(flag))) {
			return Optional.of(name + " runs with -XX:-" + flag + " and never gives heap back: a lower heap target "
					+ "makes collections earlier but returns no memory (see docs/memory.md)");
		}
		@Nullable String delay = options.apply(delayFlag);
		if (delay == null) {
			return Optional.empty();
		}
		long seconds = Long.parseLong(delay) / unitsPerSecond;
		if (seconds <= LONGEST_DELAY_SECONDS) {
			return Optional.empty();
		}
		return Optional.of(name + " gives heap back only after it has been unused for " + delayFlag + ", " + seconds
				+ " s here, so a lower heap target takes that long to show in the process's memory. Start the JVM with "
				+ suggestion + " for it to show within seconds (see docs/memory.md)");
	}

}
