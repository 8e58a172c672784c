package dev.diagkit.endpoint;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per client (principal, or address when unauthenticated): {@code burst}
 * calls at once, refilled at {@code requestsPerMinute}. The number of clients tracked is
 * bounded; idle buckets are forgotten.
 */
public class ClientRateLimiter {

	private static final int MAX_CLIENTS = 10_000;

	private final int requestsPerMinute;

	private final double capacity;

	private final double tokensPerNano;

	private final LongSupplier nanoClock;

	private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

	/**
	 * Creates a limiter.
	 * @param requestsPerMinute sustained calls per minute per client, at least 1
	 * @param burst calls a client may make at once, at least 1
	 */
	public ClientRateLimiter(int requestsPerMinute, int burst) {
		this(requestsPerMinute, burst, System::nanoTime);
	}

	ClientRateLimiter(int requestsPerMinute, int burst, LongSupplier nanoClock) {
		if (requestsPerMinute < 1) {
			throw new IllegalArgumentException("requestsPerMinute must be at least 1, was " + requestsPerMinute);
		}
		if (burst < 1) {
			throw new IllegalArgumentException("burst must be at least 1, was " + burst);
		}
		this.requestsPerMinute = requestsPerMinute;
		this.capacity = burst;
		this.tokensPerNano = requestsPerMinute / 60e9;
		this.nanoClock = nanoClock;
	}

	/**
	 * Returns the sustained calls per minute a client may make.
	 * @return the rate
	 */
	public int requestsPerMinute() {
		return this.requestsPerMinute;
	}

	/**
	 * Returns the calls a client may make at once.
	 * @return the burst
	 */
	public int burst() {
		return (int) this.capacity;
	}

	/**
	 * Takes one call from the client's bucket.
	 * @param client who calls
	 * @throws TooManyRequestsException if the bucket is empty
	 */
	public void acquire(String client) {
		take(client, true);
	}

	/**
	 * Checks that the client's bucket is not empty, without taking from it; with
	 * {@link #charge(String)}, this limits only some calls (failed logins, say).
	 * @param client who calls
	 * @throws TooManyRequestsException if the bucket is empty
	 */
	public void check(String client) {
		take(client, false);
	}

	/**
	 * Takes one call from the client's bucket if there is one left.
	 * @param client who called
	 */
	public void charge(String client) {
		try {
			take(client, true);
		}
		catch (TooManyRequestsException ex) {
			// already empty: check() refuses the next call
		}
	}

	private void take(String client, boolean consume) {
		long now = this.nanoClock.getAsLong();
		if (this.buckets.size() >= MAX_CLIENTS) {
			forgetIdle(now);
		}
		Bucket bucket = this.buckets.computeIfAbsent(client, (c) -> new Bucket(this.capacity, now));
		double missing;
		synchronized (bucket) {
			bucket.refill(now, this.capacity, this.tokensPerNano);
			if (bucket.tokens >= 1) {
				if (consume) {
					bucket.tokens -= 1;
				}
				return;
			}
			missing = 1 - bucket.tokens;
		}
		long seconds = (long) Math.ceil(missing / this.tokensPerNano / 1e9);
		throw new TooManyRequestsException("Too many diag calls from " + client + "; the limit is "
				+ Math.round(this.tokensPerNano * 60e9) + " per minute with bursts of " + (int) this.capacity
				+ " (diagkit.endpoint.requests-per-minute, diagkit.endpoint.burst); try again in " + seconds + "s",
				seconds);
	}

	private void forgetIdle(long now) {
		for (Iterator<Bucket> it = this.buckets.values().iterator(); it.hasNext();) {
			Bucket bucket = it.next();
			synchronized (bucket) {
				bucket.refill(now, this.capacity, this.tokensPerNano);
				if (bucket.tokens >= this.capacity) {
					it.remove();
				}
			}
		}
	}

	private static final class Bucket {

		private double tokens;

		private long updated;

		Bucket(double tokens, long updated) {
			this.tokens = tokens;
			this.updated = updated;
		}

		void refill(long now, double capacity, double tokensPerNano) {
			this.tokens = Math.min(capacity, this.tokens + (now - this.updated) * tokensPerNano);
			this.updated = now;
		}

	}

}
