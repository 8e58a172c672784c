package dev.diagkit.metrics;

import java.time.Duration;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * A reading kept for a short while, so that the many meters fed by one kernel file read it
 * once per scrape rather than once each.
 *
 * @param <T> the reading
 */
final class RecentReading<T> {

	private final Supplier<T> reader;

	private final long maxAgeNanos;

	private @Nullable T value;

	private long readAt;

	RecentReading(Supplier<T> reader, Duration maxAge) {
		this.reader = reader;
		this.maxAgeNanos = maxAge.toNanos();
	}

	synchronized T get() {
		long now = System.nanoTime();
		T current = this.value;
		if (current == null || now - this.readAt > this.maxAgeNanos) {
			current = this.reader.get();
			this.value = current;
			this.readAt = now;
		}
		return current;
	}

}
