package dev.diagkit.export;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What names the series a profile belongs to, the same for every window of a process: the
 * service and a few static labels such as {@code env}, {@code region}, {@code version} and
 * the instance. Sample labels (tenant, endpoint) vary within a profile; these do not.
 *
 * @param serviceName the service, from {@code spring.application.name} or the artifact
 * @param labels the static labels, in order, including the instance
 */
public record SeriesLabels(String serviceName, Map<String, String> labels) {

	/** The label naming the instance (host or pod). */
	public static final String INSTANCE = "instance";

	/**
	 * Checks and copies the parts.
	 */
	public SeriesLabels {
		Objects.requireNonNull(serviceName, "serviceName must not be null");
		if (serviceName.isBlank()) {
			throw new IllegalArgumentException("serviceName must not be blank");
		}
		labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
	}

}
