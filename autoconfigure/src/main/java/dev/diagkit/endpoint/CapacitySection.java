package dev.diagkit.endpoint;

import java.util.Set;

import dev.diagkit.capacity.CapacityReport;
import dev.diagkit.capacity.CapacitySampler;

import org.springframework.http.ResponseEntity;

/**
 * {@code GET /actuator/diag/capacity}: the capacity report's five budgets with verdicts.
 */
public final class CapacitySection implements DiagSectionHandler {

	private static final Set<String> FORMATS = Set.of("json", "text");

	private final CapacitySampler sampler;

	/**
	 * Creates the section.
	 * @param sampler the sampler whose statistics the report reads
	 */
	public CapacitySection(CapacitySampler sampler) {
		this.sampler = sampler;
	}

	@Override
	public DiagSection section() {
		return DiagSection.CAPACITY;
	}

	@Override
	public ResponseEntity<?> read(DiagRequest request) {
		String format = request.choice("format", "json", FORMATS);
		CapacityReport report = this.sampler.report();
		return "text".equals(format) ? DiagResponses.text(report.toText()) : DiagResponses.json(report.toJson());
	}

}
