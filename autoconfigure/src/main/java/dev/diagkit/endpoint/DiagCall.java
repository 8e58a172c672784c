package dev.diagkit.endpoint;

import java.net.URI;

import org.jspecify.annotations.Nullable;

/**
 * The HTTP exchange behind one diag call, whichever web stack serves it: who called, on
 * which path, and where to put the headers an answer carries besides its body. Spring MVC
 * gives it through the current request ({@link ServletDiagCall}), Spring WebFlux through
 * the Reactor context of the exchange ({@link ReactiveDiagCall}).
 */
public interface DiagCall {

	/**
	 * Returns the client's address.
	 * @return the address, such as {@code 127.0.0.1}, or {@code null} when unknown
	 */
	@Nullable String clientAddress();

	/**
	 * Returns the local address the client called.
	 * @return the address, or {@code null} when unknown
	 */
	@Nullable String localAddress();

	/**
	 * Returns the request's path within the application, decoded, as the web stack
	 * dispatches it.
	 * @return the path, such as {@code /actuator/diag/gc}
	 */
	String path();

	/**
	 * Returns the request's full URI, query included.
	 * @return the URI
	 */
	URI uri();

	/**
	 * Starts watching the client's connection while a capture runs on the current thread.
	 * @param disconnects the watcher
	 * @return the watch, to close when the capture ends
	 */
	ClientDisconnects.Watch watch(ClientDisconnects disconnects);

	/**
	 * Returns whether the web stack has seen the client go away during the call.
	 * @return whether the client left
	 */
	default boolean clientLeft() {
		return false;
	}

	/**
	 * Sets a header of the answer.
	 * @param name the header's name
	 * @param value its value
	 */
	void header(String name, String value);

	/**
	 * Returns the last segment of the path: the section a call addresses.
	 * @return the segment
	 */
	default String lastPathSegment() {
		return lastSegments(path(), 1);
	}

	/** The last {@code count} segments of a path, without a trailing slash. */
	static String lastSegments(String path, int count) {
		String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
		int start = trimmed.length();
		for (int i = 0; i < count && start >= 0; i++) {
			start = trimmed.lastIndexOf('/', start - 1);
		}
		return trimmed.substring(start + 1);
	}

}
