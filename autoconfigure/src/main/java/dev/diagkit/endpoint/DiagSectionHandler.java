package dev.diagkit.endpoint;

import java.util.Map;

import org.springframework.http.ResponseEntity;

/**
 * Answers one {@link DiagSection}. Each capability contributes the handlers of its sections
 * as beans; a section whose capability is off has none, and the endpoint answers it with
 * {@link DiagSection#off()}.
 */
public interface DiagSectionHandler {

	/**
	 * Returns the section this handler answers.
	 * @return the section
	 */
	DiagSection section();

	/**
	 * Answers {@code GET /actuator/diag/{section}}.
	 * @param request the call
	 * @return the answer
	 * @throws Exception if the section fails; the caller gets a 500 naming the section
	 */
	ResponseEntity<?> read(DiagRequest request) throws Exception;

	/**
	 * Answers {@code POST /actuator/diag/{section}}; sections that only read refuse it.
	 * @param request the call
	 * @return the answer
	 * @throws Exception if the section fails; the caller gets a 500 naming the section
	 */
	default ResponseEntity<?> write(DiagRequest request) throws Exception {
		DiagSection section = section();
		throw new MethodNotAllowedException("The " + section.path() + " section answers " + section.methods() + " only",
				section.methods());
	}

	/**
	 * Returns the limits this section applies, for the index.
	 * @return the limits by name, empty when it has none
	 */
	default Map<String, Object> limits() {
		return Map.of();
	}

}
