package dev.diagkit.endpoint;

import java.util.function.LongSupplier;

/**
 * How often diag may pause the application, whoever asks: a token bucket shared by every
 * caller of a section that stops the world ({@code stacks}), holding two pauses and refilled
 * at a set rate, so that no reader (nor several in turn) can pause the application in a loop.
 */
public class PauseBudget {

	static final int BURST = 2;

	private final int perMinute;

	private final double tokensPerNano;

	private final LongSupplier nanoClock;

	private double tokens = BURST;

	private long updated;

	/**
	 * Creates a budget.
	 * @param perMinute pauses allowed per minute, at least 1
	 */
	public PauseBudget(int perMinute) {
		this(perMinute, System::nanoTime);
	}

	PauseBudget(int perMinute, LongSupplier nanoClock) {
		if (perMinute < 1) {
			throw new IllegalArgumentException("perMinute must be at least 1, was " + perMinute);
		}
		this.perMinute = perMinute;
		this.tokensPerNano = perMinute / 60e9;
		this.nanoClock = nanoClock;
		this.updated = nanoClock.getAsLong();
	}

	/**
	 * Takes one pause from the budget.
	 * @param section the section that pauses, for the message
	 * @throws TooManyRequestsException if the budget is spent
	 */
	public synchronized void acquire(String section) {
		long now = this.nanoClock.getAsLong();
		this.tokens = Math.min(BURST, this.tokens + (now - this.updated) * this.tokensPerNano);
		this.updated = now;
		if (this.tokens >= 1) {
			this.tokens -= 1;
			return;
		}
		long seconds = (long) Math.ceil((1 - this.tokens) / this.tokensPerNano / 1e9);
		throw new TooManyRequestsException("The " + section + " section pauses the application, so diag allows it "
				+ this.perMinute + " times a minute across all callers (diagkit.endpoint.stacks.max-per-minute); "
				+ "try again in " + seconds + "s", seconds);
	}

	/**
	 * Returns the pauses allowed per minute.
	 * @return the rate
	 */
	public int perMinute() {
		return this.perMinute;
	}

}
