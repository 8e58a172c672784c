package dev.diagkit.tracing;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.diagkit.export.IngestedProfile;
import dev.diagkit.export.PyroscopeIngestServer;

/**
 * The CPU a service uploaded to Pyroscope, summed by tenant: what the baggage tests judge
 * service B's labels by.
 */
final class UploadedCpu {

	private UploadedCpu() {
	}

	/**
	 * Sums the CPU of the samples whose {@code endpoint} label starts with a prefix, by their
	 * {@code tenant} label ({@code (none)} without one).
	 * @param pyroscope what was uploaded
	 * @param endpoint the endpoint label's prefix, such as {@code GET /burn/}
	 * @return nanoseconds by tenant
	 */
	static Map<String, Long> byTenant(PyroscopeIngestServer pyroscope, String endpoint) {
		return pyroscope.stored()
			.stream()
			.flatMap((ingest) -> ingest.profile().samples().stream())
			.filter((sample) -> sample.labels().get("endpoint") != null
					&& sample.labels().get("endpoint").startsWith(endpoint))
			.collect(Collectors.groupingBy((sample) -> sample.labels().getOrDefault("tenant", "(none)"),
					Collectors.summingLong(UploadedCpu::cpu)));
	}

	private static long cpu(IngestedProfile.Sample sample) {
		List<Long> values = sample.values();
		return values.get(values.size() - 1);
	}

}
