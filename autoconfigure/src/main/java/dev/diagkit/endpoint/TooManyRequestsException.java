package dev.diagkit.endpoint;

/**
 * A diag call refused because a limit is reached: answered with {@code 429} and a
 * {@code Retry-After} header. It carries no stack trace: a flood of refused calls is the
 * case it exists for, and the refusal is expected, not a fault to trace.
 */
public class TooManyRequestsException extends RuntimeException {

	private final long retryAfterSeconds;

	/**
	 * Creates the exception.
	 * @param message which limit and when to retry
	 * @param retryAfterSeconds seconds until a retry may succeed, at least 1
	 */
	public TooManyRequestsException(String message, long retryAfterSeconds) {
		super(message, null, false, false);
		this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
	}

	/**
	 * Returns the seconds until a retry may succeed.
	 * @return the seconds, at least 1
	 */
	public long retryAfterSeconds() {
		return this.retryAfterSeconds;
	}

}
