package dev.diagkit.profiling;

import java.io.IOException;

/**
 * A recording that holds secrets diagkit cannot remove on this JDK, so it is not served.
 * See {@link JfrRedaction}.
 */
public class UnsafeRecordingException extends IOException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates the exception.
	 * @param message what the recording holds and what to do about it
	 */
	public UnsafeRecordingException(String message) {
		super(message);
	}

}
