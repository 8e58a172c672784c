package dev.diagkit.endpoint;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;

/**
 * A token bucket per client: {@code burst} calls at once, refilled at
 * {@code requestsPerMinute}. Authenticated callers are counted by principal, others by
 * address (an IPv6 address by its {@code /64}, which one host usually holds whole), in two
 * separate tables, so that a flood of addresses (which can arrive before any
 * authentication) never evicts a principal's bucket. Each table keeps at most
 * {@value #MAX_CLIENTS} clients and forgets the least recently seen first, so memory stays
 * flat whatever the number of clients (about 2 MB for a million addresses) and no call
 * scans the table (a call costs tens of nanoseconds, measured in {@code docs/benchmarks.md}).
 * Buckets refill on the next call rather than on a timer, so no expiry is needed: a client
 * that keeps calling is never the least recently seen, and one forgotten after a long
 * silence gets the full bucket it would have had anyway, unless more than
 * {@value #MAX_CLIENTS} other clients called since its last call, which resets it early.
 */
public class ClientRateLimiter {

	/** The most clients each table keeps. */
	static final int MAX_CLIENTS = 10_000;

	private final int requestsPerMinute;

	private final double capacity;

	private final double tokensPerNano;

	private final LongSupplier nanoClock;

	private final Buckets principals;

	private final Buckets addresses;

	/**
	 * Creates a limiter.
	 * @param requestsPerMinute sustained calls per minute per client, at least 1
	 * @param burst calls a client may make at once, at least 1
	 */
	public ClientRateLimiter(int requestsPerMinute, int burst) {
		this(requestsPerMinute, burst, System::nanoTime, MAX_CLIENTS);
	}

	ClientRateLimiter(int requestsPerMinute, int burst, LongSupplier nanoClock, int maxClients) {
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
		this.principals = new Buckets(maxClients);
		this.addresses = new Buckets(maxClients);
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
	 * Takes one call from the caller's bucket: the principal's when authenticated, else the
	 * address's.
	 * @param principal the authenticated caller's name, or {@code null}
	 * @param address the client's address, or {@code null} when unknown
	 * @throws TooManyRequestsException if the bucket is empty
	 */
	public void acquire(@Nullable String principal, @Nullable String address) {
		if (principal != null) {
			take(this.principals, principal, "user ", true);
		}
		else {
			take(this.addresses, (address != null) ? NetworkAccess.clientKey(address) : "unknown", "address ", true);
		}
	}

	/**
	 * Checks that an address's bucket is not empty, without taking from it; with
	 * {@link #chargeAddress(String)}, this limits only some calls (failed logins, say).
	 * @param address the client's address
	 * @throws TooManyRequestsException if the bucket is empty
	 */
	public void checkAddress(String address) {
		take(this.addresses, NetworkAccess.clientKey(address), "address ", false);
	}

	/**
	 * Takes one call from an address's bucket if there is one left.
	 * @param address the client's address
	 */
	public void chargeAddress(String address) {
		try {
			take(this.addresses, NetworkAccess.clientKey(address), "address ", true);
		}
		catch (TooManyRequestsException ex) {
			// already empty: checkAddress() refuses the next call
		}
	}

	/**
	 * Returns how many clients are kept, principals and addresses together.
	 * @return the count
	 */
	int clients() {
		return this.principals.size() + this.addresses.size();
	}

	private void take(Buckets buckets, String client, String kind, boolean consume) {
		long now = this.nanoClock.getAsLong();
		double missing = buckets.take(client, now, this.capacity, this.tokensPerNano, consume);
		if (missing <= 0) {
			return;
		}
		long seconds = (long) Math.ceil(missing / this.tokensPerNano / 1e9);
		throw new TooManyRequestsException("Too many diag calls from " + kind + client + "; the limit is "
				+ this.requestsPerMinute + " per minute with bursts of " + (int) this.capacity
				+ " (diagkit.endpoint.requests-per-minute, diagkit.endpoint.burst); try again in " + seconds + "s",
				seconds);
	}

	/**
	 * Buckets by client, least recently seen first, at most a fixed number.
	 */
	private static final class Buckets {

		private final Map<String, Bucket> byClient;

		Buckets(int maxClients) {
			this.byClient = new LinkedHashMap<>(16, 0.75f, true) {

				@Override
				protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
					return size() > maxClients;
				}

			};
		}

		/**
		 * Refills the client's bucket and takes a call from it if asked.
		 * @return 0 when the bucket had a call left, otherwise how much of a call is missing
		 */
		synchronized double take(String client, long now, double capacity, double tokensPerNano, boolean consume) {
			Bucket bucket = this.byClient.get(client);
			if (bucket == null) {
				if (!consume) {
					// a client never charged has a full bucket; a check alone must not take a place
					return 0;
				}
				bucket = new Bucket(capacity, now);
				this.byClient.put(client, bucket);
			}
			bucket.tokens = Math.min(capacity, bucket.tokens + (now - bucket.updated) * tokensPerNano);
			bucket.updated = now;
			if (bucket.tokens >= 1) {
				if (consume) {
					bucket.tokens -= 1;
				}
				return 0;
			}
			return 1 - bucket.tokens;
		}

		synchronized int size() {
			return this.byClient.size();
		}

	}

	private static final class Bucket {

		private double tokens;

		private long updated;

		Bucket(double tokens, long updated) {
			this.tokens = tokens;
			this.updated = updated;
		}

	}

}
