package dev.diagkit.endpoint;

/**
 * A diag section called with an HTTP method it does not answer: {@code 405} with an
 * {@code Allow} header.
 */
public class MethodNotAllowedException extends RuntimeException {

	private final String allowed;

	/**
	 * Creates the exception.
	 * @param message which methods the section answers
	 * @param allowed the methods it answers, for the {@code Allow} header
	 */
	public MethodNotAllowedException(String message, String allowed) {
		super(message);
		this.allowed = allowed;
	}

	/**
	 * Returns the methods the section answers.
	 * @return the methods, comma-separated
	 */
	public String allowed() {
		return this.allowed;
	}

}
