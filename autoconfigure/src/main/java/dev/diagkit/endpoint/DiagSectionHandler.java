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
	 * Answers {@code GET /actuator/diag/{section}}. The endpoint calls it only for sections
	 * whose {@link DiagSection#methods()} include {@code GET}.
	 * @param request the call
	 * @return the answer
	 * @throws Exception if the section fails; the caller gets a 500 naming the section
	 */
	ResponseEntity<?> read(DiagRequest request) throws Exception;

	/**
	 * Answers {@code POST /actuator/diag/{section}}. The endpoint calls it only for sections
	 * whose {@link DiagSection#methods()} include {@code POST}; the default refuses it.
	 * @param request the call
	 * @return the answer
	 * @throws Exception if the section fails; the caller gets a 500 naming the section
	 */
	default ResponseEntity<?> write(DiagRequest request) throws Exception {
		throw MethodNotAllowedException.of(section());
	}

	/**
	 * Returns the limits this section applies, for the index.
	 * @return the limits by name, empty when it has none
	 */
	default Map<String, Object> limits() {
		return Map.of();
	}

}
