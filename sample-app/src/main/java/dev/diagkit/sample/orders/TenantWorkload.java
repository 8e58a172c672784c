package dev.diagkit.sample.orders;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * The CPU the sample's business logic costs: a deterministic chain of SHA-256 rounds whose
 * length depends on the tenant's weight, so that one tenant visibly costs more than another
 * in profiles and in {@code cpuMillis}.
 */
@Component
public class TenantWorkload {

	private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

	private final WorkloadProperties properties;

	/**
	 * Creates the workload.
	 * @param properties the weights and the size of a unit
	 */
	public TenantWorkload(WorkloadProperties properties) {
		this.properties = properties;
	}

	/**
	 * Returns the tenants that have a weight of their own.
	 * @return the tenants in name order
	 */
	public List<String> tenants() {
		return this.properties.tenantWeights().keySet().stream().sorted().toList();
	}

	/**
	 * Returns the cost multiplier of a tenant.
	 * @param tenant the tenant, or {@code null}
	 * @return the weight, 1 for tenants without one
	 */
	public int weightOf(@Nullable String tenant) {
		return (tenant != null) ? this.properties.tenantWeights().getOrDefault(tenant, 1) : 1;
	}

	/**
	 * Does {@code units} units of work, times the tenant's weight.
	 * @param tenant the tenant, or {@code null}
	 * @param seed what the work is about, such as an order id
	 * @param units the units before weighting
	 * @return the result
	 */
	public Result perform(@Nullable String tenant, String seed, int units) {
		return burn(seed, units * weightOf(tenant));
	}

	/**
	 * Does exactly {@code units} units of work.
	 * @param seed what the work is about
	 * @param units the units
	 * @return the result
	 */
	public Result burn(String seed, int units) {
		long cpuStart = THREADS.getCurrentThreadCpuTime();
		MessageDigest sha256 = sha256();
		byte[] digest = seed.getBytes(StandardCharsets.UTF_8);
		long rounds = (long) units * this.properties.roundsPerUnit();
		for (long i = 0; i < rounds; i++) {
			digest = sha256.digest(digest);
		}
		long cpuNanos = THREADS.getCurrentThreadCpuTime() - cpuStart;
		return new Result(HexFormat.of().formatHex(digest, 0, 8), cpuNanos);
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java platform has SHA-256", ex);
		}
	}

	/**
	 * The outcome of some work.
	 *
	 * @param checksum the first bytes of the last digest, in hex
	 * @param cpuNanos the CPU time the work took on its thread
	 */
	public record Result(String checksum, long cpuNanos) {

		/**
		 * Returns the CPU time in milliseconds, to a hundredth.
		 * @return the milliseconds
		 */
		public double cpuMillis() {
			return Math.round(this.cpuNanos / 10_000.0) / 100.0;
		}

	}

}
