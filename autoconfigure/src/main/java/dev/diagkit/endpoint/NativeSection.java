package dev.diagkit.endpoint;

import dev.diagkit.runtime.NativeMemorySummary;

import org.springframework.http.ResponseEntity;

/**
 * {@code GET /actuator/diag/native}: native memory by category from Native Memory Tracking.
 */
public final class NativeSection implements DiagSectionHandler {

	@Override
	public DiagSection section() {
		return DiagSection.NATIVE;
	}

	@Override
	public ResponseEntity<?> read(DiagRequest request) {
		return DiagResponses.json(NativeMemorySummary.take().toJson());
	}

}
