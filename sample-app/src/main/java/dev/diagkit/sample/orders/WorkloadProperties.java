package dev.diagkit.sample.orders;

import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How much CPU the sample's work costs, under {@code sample.workload}.
 *
 * @param tenantWeights cost multiplier per tenant (acme 3, globex 1, initech 2 when none
 * are set); tenants not listed, and requests without a tenant, weigh 1
 * @param roundsPerUnit SHA-256 rounds in one unit of work (about 1.5 ms of CPU on a current
 * core at 3000)
 */
@ConfigurationProperties("sample.workload")
public record WorkloadProperties(@DefaultValue Map<String, Integer> tenantWeights,
		@DefaultValue("3000") int roundsPerUnit) {

	private static final Map<String, Integer> DEFAULT_WEIGHTS = Map.of("acme", 3, "globex", 1, "initech", 2);

	/**
	 * Checks the values and fills in the default weights.
	 */
	public WorkloadProperties {
		tenantWeights = tenantWeights.isEmpty() ? DEFAULT_WEIGHTS : Map.copyOf(tenantWeights);
		tenantWeights.forEach((tenant, weight) -> {
			if (weight < 1) {
				throw new IllegalArgumentException(
						"'sample.workload.tenant-weights." + tenant + "' must be at least 1, was " + weight);
			}
		});
		if (roundsPerUnit < 1) {
			throw new IllegalArgumentException(
					"'sample.workload.rounds-per-unit' must be at least 1, was " + roundsPerUnit);
		}
	}

}
