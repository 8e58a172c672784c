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
	 * Creates the exception for a section called with a method it does not answer.
	 * @param section the section
	 * @return the exception, naming the methods the section answers
	 */
	public static MethodNotAllowedException of(DiagSection section) {
		return new MethodNotAllowedException(
				"The " + section.path() + " section answers " + section.methods() + " only", section.methods());
	}

	/**
	 * Returns the methods the section answers.
	 * @return the methods, comma-separated
	 */
	public String allowed() {
		return this.allowed;
	}

}
