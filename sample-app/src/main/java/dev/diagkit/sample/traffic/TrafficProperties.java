package dev.diagkit.sample.traffic;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The demo traffic generator, under {@code sample.traffic}.
 *
 * @param enabled whether to send demo traffic to the application's own port
 * @param requestsPerSecond how many requests to send per second
 * @param tenants the tenants to send requests for, in turn
 */
@ConfigurationProperties("sample.traffic")
public record TrafficProperties(boolean enabled, @DefaultValue("20") int requestsPerSecond,
		@DefaultValue({ "acme", "globex", "initech" }) List<String> tenants) {

	/** The highest rate accepted: the generator is a demo, not a load test. */
	static final int MAX_REQUESTS_PER_SECOND = 200;

	/**
	 * Checks the values.
	 */
	public TrafficProperties {
		if (requestsPerSecond < 1 || requestsPerSecond > MAX_REQUESTS_PER_SECOND) {
			throw new IllegalArgumentException("'sample.traffic.requests-per-second' must be between 1 and "
					+ MAX_REQUESTS_PER_SECOND + ", was " + requestsPerSecond);
		}
		if (tenants.isEmpty()) {
			throw new IllegalArgumentException("'sample.traffic.tenants' must name at least one tenant");
		}
		tenants = List.copyOf(tenants);
	}

}
