package dev.diagkit.capacity;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * How the capacity report writes its figures, for JSON and for people.
 */
final class CapacityText {

	private static final double MIB = 1024.0 * 1024.0;

	private CapacityText() {
	}

	static @Nullable Object number(double value) {
		if (!Double.isFinite(value)) {
			return null;
		}
		if (value == Math.rint(value) && Math.abs(value) < 1e15) {
			return (long) value;
		}
		// six significant digits: thresholds such as 0.9 x 1.3 would otherwise show as 1.1700000000000002
		return new BigDecimal(value).round(new MathContext(6)).doubleValue();
	}

	static String percent(double ratio) {
		return String.format(Locale.ROOT, "%.1f%%", ratio * 100);
	}

	static String millis(double seconds) {
		return String.format(Locale.ROOT, "%.3f ms", seconds * 1000);
	}

	static String mib(double bytes) {
		return String.format(Locale.ROOT, "%.0f MiB", bytes / MIB);
	}

	static String whole(double value) {
		return String.format(Locale.ROOT, "%.0f", value);
	}

}
