package dev.diagkit.endpoint;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets at most a fixed number of captures (traces, profiles) run at once. A capture that
 * cannot start is refused at once, with a hint of when a slot frees up.
 */
public class CaptureGate {

	private final int maxConcurrent;

	private final Clock clock;

	private final Map<Long, Instant> running = new ConcurrentHashMap<>();

	private final AtomicLong ids = new AtomicLong();

	/**
	 * Creates a gate.
	 * @param maxConcurrent how many captures may run at once, at least 1
	 */
	public CaptureGate(int maxConcurrent) {
		this(maxConcurrent, Clock.systemUTC());
	}

	CaptureGate(int maxConcurrent, Clock clock) {
		if (maxConcurrent < 1) {
			throw new IllegalArgumentException("maxConcurrent must be at least 1, was " + maxConcurrent);
		}
		this.maxConcurrent = maxConcurrent;
		this.clock = clock;
	}

	/**
	 * Takes a slot for a capture of the given duration.
	 * @param duration how long the capture will run
	 * @return the slot, to close when the capture ends
	 * @throws TooManyRequestsException if every slot is taken
	 */
	public synchronized Slot enter(Duration duration) {
		if (this.running.size() >= this.maxConcurrent) {
			Instant now = this.clock.instant();
			long wait = this.running.values()
				.stream()
				.mapToLong((end) -> Math.max(1, Duration.between(now, end).toSeconds() + 1))
				.min()
				.orElse(1);
			throw new TooManyRequestsException("At most " + this.maxConcurrent + " capture(s) may run at once "
					+ "(diagkit.endpoint.max-concurrent-captures); try again in " + wait + "s", wait);
		}
		long id = this.ids.incrementAndGet();
		this.running.put(id, this.clock.instant().plus(duration));
		return new Slot(id);
	}

	/**
	 * Returns how many captures may run at once.
	 * @return the limit
	 */
	public int maxConcurrent() {
		return this.maxConcurrent;
	}

	/**
	 * Returns how many captures run now.
	 * @return the count
	 */
	public int running() {
		return this.running.size();
	}

	/**
	 * A taken slot; closing it frees it.
	 */
	public final class Slot implements AutoCloseable {

		private final long id;

		private Slot(long id) {
			this.id = id;
		}

		@Override
		public void close() {
			CaptureGate.this.running.remove(this.id);
		}

	}

}
