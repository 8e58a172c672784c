package dev.diagkit.endpoint;

/**
 * A request parameter of {@code /actuator/diag} that is missing, malformed or out of range.
 * Answered with {@code 400} and a JSON body whose message names the parameter and what is
 * accepted.
 */
public class InvalidParameterException extends RuntimeException {

	/**
	 * Creates the exception.
	 * @param message what was wrong and what is accepted, for example
	 * {@code "'seconds' must be between 1 and 60, was 999"}
	 */
	public InvalidParameterException(String message) {
		super(message);
	}

}
