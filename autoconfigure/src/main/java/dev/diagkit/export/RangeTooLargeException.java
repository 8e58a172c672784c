package dev.diagkit.export;

/**
 * Thrown when a range query to the {@link LocalProfileStore} cannot merge its stored
 * profiles within the time a query may take; a shorter range, or a coarser one, answers.
 */
public class RangeTooLargeException extends RuntimeException {

	/**
	 * Creates the exception.
	 * @param message what was asked and how far the merge got
	 */
	public RangeTooLargeException(String message) {
		super(message);
	}

}
