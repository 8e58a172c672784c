package dev.diagkit.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;

import dev.diagkit.endpoint.ClientRateLimiter;

/**
 * The heap a {@link ClientRateLimiter} holds after calls from one million distinct addresses
 * (and one million failed logins), measured after full collections, against the heap before.
 * Run: {@code java -cp benchmarks/target/benchmarks.jar dev.diagkit.benchmarks.ClientRateLimiterFootprint}.
 */
public final class ClientRateLimiterFootprint {

	private static final System.Logger logger = System.getLogger(ClientRateLimiterFootprint.class.getName());

	private ClientRateLimiterFootprint() {
	}

	public static void main(String[] args) {
		ClientRateLimiter limiter = new ClientRateLimiter(60, 10);
		long before = usedAfterGc();
		long[] checkpoints = { 10_000, 100_000, 1_000_000 };
		int done = 0;
		for (long checkpoint : checkpoints) {
			for (; done < checkpoint; done++) {
				// a /64 each: addresses within one /64 share a bucket
				String address = "2001:db8:" + Integer.toHexString(done >> 16) + ":"
						+ Integer.toHexString(done & 0xffff) + "::1";
				limiter.acquire(null, address);
				limiter.chargeAddress("203.0." + (done >> 8 & 255) + "." + (done & 255) + "/" + done);
			}
			logger.log(System.Logger.Level.INFO, String.format("%,d distinct addresses: %,d bytes held by the limiter",
					checkpoint, usedAfterGc() - before));
		}
		Reference.reachabilityFence(limiter);
	}

	private static long usedAfterGc() {
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		for (int i = 0; i < 3; i++) {
			System.gc();
		}
		return memory.getHeapMemoryUsage().getUsed();
	}

}
