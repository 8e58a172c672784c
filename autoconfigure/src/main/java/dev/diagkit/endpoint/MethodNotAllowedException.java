package dev.diagkit.endpoint;

/**
 * A diag section called with an HTTP method it does not answer: {@code 405}.
 */
public class MethodNotAllowedException extends RuntimeException {

	/**
	 * Creates the exception.
	 * @param message which methods the section answers
	 */
	public MethodNotAllowedException(String message) {
		super(message);
	}

}
