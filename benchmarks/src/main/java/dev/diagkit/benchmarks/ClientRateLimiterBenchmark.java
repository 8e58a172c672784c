package dev.diagkit.benchmarks;

import java.util.concurrent.TimeUnit;

import dev.diagkit.endpoint.ClientRateLimiter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one rate-limited diag call costs when the limiter sees {@code clients} distinct
 * addresses in turn: 10 or 10,000 (every bucket kept: each call finds its client), or 100,000
 * (ten times what the limiter keeps: each call is a new client and forgets the least recently
 * seen one). The rate is the default 60 per minute with a burst so large that no call is
 * refused, so no bucket ever fills up again: no client is ever idle.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(Scope.Thread)
public class ClientRateLimiterBenchmark {

	@Param({ "10", "10000", "100000" })
	public int clients;

	/** {@code ipv6}: each client a /64 of its own, keyed by that /64. */
	@Param({ "ipv4", "ipv6" })
	public String family;

	private ClientRateLimiter limiter;

	private String[] addresses;

	private int next;

	@Setup
	public void setUp() {
		this.limiter = new ClientRateLimiter(60, Integer.MAX_VALUE);
		this.addresses = new String[this.clients];
		for (int i = 0; i < this.clients; i++) {
			this.addresses[i] = "ipv6".equals(this.family)
					? "2001:db8:" + Integer.toHexString(i >> 16) + ":" + Integer.toHexString(i & 0xffff) + "::1"
					: "10." + (i >> 16) + "." + ((i >> 8) & 255) + "." + (i & 255);
		}
	}

	@Benchmark
	public void acquire() {
		String address = this.addresses[this.next];
		this.next = (this.next + 1 == this.addresses.length) ? 0 : this.next + 1;
		this.limiter.acquire(null, address);
	}

}
