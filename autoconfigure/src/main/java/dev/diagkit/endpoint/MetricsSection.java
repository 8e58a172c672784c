package dev.diagkit.endpoint;

import java.util.Set;

import org.springframework.http.ResponseEntity;

/**
 * {@code GET /actuator/diag/metrics}: runtime figures ({@link RuntimeFigures}) as text or
 * JSON.
 */
public final class MetricsSection implements DiagSectionHandler {

	private static final Set<String> FORMATS = Set.of("json", "text");

	@Override
	public DiagSection section() {
		return DiagSection.METRICS;
	}

	@Override
	public ResponseEntity<?> read(DiagRequest request) {
		String format = request.choice("format", "text", FORMATS);
		RuntimeFigures figures = RuntimeFigures.forThisProcess();
		return "json".equals(format) ? DiagResponses.json(figures.toJson()) : DiagResponses.text(figures.toText());
	}

}
