package dev.diagkit.export;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * One call of Pyroscope's ingest API for one window:
 * {@code POST {url}/ingest?name=<service>{k=v,…}&from=…&until=…&format=pprof&spyName=diagkit&sampleRate=…}
 * with the gzip'd pprof as the body, over {@link HttpURLConnection} (whose connections end
 * with the call, unlike {@code java.net.http.HttpClient}'s selector thread on JDK 17).
 * <p>
 * The {@code name} follows Pyroscope's label-set syntax ({@code labelset.Parse}): the
 * service name keeps {@code [A-Za-z0-9_.\-/]}, label names keep {@code [A-Za-z0-9_.]}, and
 * everything else becomes {@code _}; names that end up empty or start with {@code __}
 * (reserved) are left out, as is a name seen before; {@code ,} and {@code }} in values,
 * which would end the value, become {@code _}.
 */
final class PyroscopeIngest {

	/** The most characters of an error response kept for the log. */
	static final int MAX_ERROR_CHARS = 512;

	private static final int MAX_RESPONSE_BYTES = 8 * 1024;

	private final String ingestUrl;

	private final Map<String, String> headers;

	private final int connectTimeoutMillis;

	private final int readTimeoutMillis;

	private volatile @Nullable HttpURLConnection current;

	private volatile boolean aborted;

	PyroscopeIngest(PyroscopeSink.Settings settings) {
		String url = settings.url().toString();
		while (url.endsWith("/")) {
			url = url.substring(0, url.length() - 1);
		}
		this.ingestUrl = url + "/ingest";
		this.headers = headers(settings);
		this.connectTimeoutMillis = (int) settings.connectTimeout().toMillis();
		this.readTimeoutMillis = (int) settings.timeout().toMillis();
	}

	private static Map<String, String> headers(PyroscopeSink.Settings settings) {
		Map<String, String> headers = new LinkedHashMap<>(settings.headers());
		headers.put("Content-Type", "application/octet-stream");
		if (settings.tenantId() != null) {
			headers.put("X-Scope-OrgID", settings.tenantId());
		}
		if (settings.basicUsername() != null && settings.basicPassword() != null) {
			String credentials = settings.basicUsername() + ":" + settings.basicPassword();
			headers.put("Authorization",
					"Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
		}
		else if (settings.bearerToken() != null) {
			headers.put("Authorization", "Bearer " + settings.bearerToken());
		}
		return headers;
	}

	/**
	 * Returns the {@code name} parameter for a series: {@code service{k=v,…}}, not yet
	 * URL-encoded.
	 * @param series the series
	 * @return the name
	 */
	static String name(SeriesLabels series) {
		StringBuilder name = new StringBuilder();
		for (char c : series.serviceName().strip().toCharArray()) {
			name.append((isLabelNameChar(c) || c == '-' || c == '/') ? c : '_');
		}
		name.append('{');
		Set<String> seen = new HashSet<>();
		for (Map.Entry<String, String> label : series.labels().entrySet()) {
			String key = labelName(label.getKey());
			if (key.isEmpty() || key.startsWith("__") || !seen.add(key)) {
				continue;
			}
			if (seen.size() > 1) {
				name.append(',');
			}
			name.append(key).append('=').append(label.getValue().replace(',', '_').replace('}', '_'));
		}
		return name.append('}').toString();
	}

	private static String labelName(String key) {
		StringBuilder name = new StringBuilder(key.length());
		for (char c : key.strip().toCharArray()) {
			name.append(isLabelNameChar(c) ? c : '_');
		}
		return name.toString();
	}

	private static boolean isLabelNameChar(char c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
	}

	/**
	 * Returns the request's address for a window.
	 * @param upload the window
	 * @return the address
	 */
	URI uri(WindowUpload upload) {
		long from = upload.from().getEpochSecond();
		long until = upload.until().getEpochSecond() + ((upload.until().getNano() > 0) ? 1 : 0);
		StringBuilder query = new StringBuilder("?name=")
			.append(URLEncoder.encode(name(upload.series()), StandardCharsets.UTF_8))
			.append("&from=")
			.append(from)
			.append("&until=")
			.append(until)
			.append("&format=pprof&spyName=diagkit");
		long sampleRate = upload.sampleRate();
		if (sampleRate > 0) {
			query.append("&sampleRate=").append(sampleRate);
		}
		return URI.create(this.ingestUrl + query);
	}

	/**
	 * Sends a window and waits for the answer.
	 * @param upload the window
	 * @return how it went
	 */
	Result send(WindowUpload upload) {
		HttpURLConnection connection;
		try {
			connection = (HttpURLConnection) uri(upload).toURL().openConnection();
		}
		catch (IOException ex) {
			return new Result(Outcome.RETRY, -1, ex.toString());
		}
		this.current = connection;
		try {
			// abort() sets the flag before it reads current: one of the two sees the other
			if (this.aborted) {
				return new Result(Outcome.RETRY, -1, "the sink is closing");
			}
			connection.setConnectTimeout(this.connectTimeoutMillis);
			connection.setReadTimeout(this.readTimeoutMillis);
			connection.setRequestMethod("POST");
			connection.setDoOutput(true);
			connection.setUseCaches(false);
			connection.setInstanceFollowRedirects(false);
			connection.setFixedLengthStreamingMode(upload.pprof().length);
			this.headers.forEach(connection::setRequestProperty);
			try (OutputStream body = connection.getOutputStream()) {
				body.write(upload.pprof());
			}
			int status = connection.getResponseCode();
			String response = response(connection, status);
			return new Result(outcome(status), status, response);
		}
		catch (IOException ex) {
			return new Result(Outcome.RETRY, -1, ex.toString());
		}
		finally {
			this.current = null;
			// a connection per window: no keep-alive socket or timer thread outlives the sink
			connection.disconnect();
		}
	}

	/**
	 * Makes the call in progress, and every later one, fail at once: closing its socket ends
	 * a read that would otherwise wait for the read timeout.
	 */
	void abort() {
		this.aborted = true;
		HttpURLConnection connection = this.current;
		if (connection != null) {
			connection.disconnect();
		}
	}

	/**
	 * Returns whether {@link #abort()} was called.
	 * @return whether calls fail at once
	 */
	boolean aborted() {
		return this.aborted;
	}

	static Outcome outcome(int status) {
		if (status >= 200 && status < 300) {
			return Outcome.SUCCESS;
		}
		// 408: Pyroscope could not read the body; -1: not an HTTP answer
		if (status == 408 || status == 429 || status >= 500 || status < 100) {
			return Outcome.RETRY;
		}
		return Outcome.REJECTED;
	}

	private static String response(HttpURLConnection connection, int status) throws IOException {
		InputStream stream = (status >= 400) ? connection.getErrorStream() : connection.getInputStream();
		if (stream == null) {
			return "";
		}
		try (stream) {
			String text = new String(stream.readNBytes(MAX_RESPONSE_BYTES), StandardCharsets.UTF_8);
			return (text.length() > MAX_ERROR_CHARS) ? text.substring(0, MAX_ERROR_CHARS) : text;
		}
	}

	/**
	 * How an upload went.
	 */
	enum Outcome {

		/** Stored (2xx). */
		SUCCESS("success"),

		/** Not now (429, 5xx, 408, I/O error, timeout): the window is tried again. */
		RETRY("retry"),

		/** Refused for good (other statuses): the window is given up. */
		REJECTED("rejected");

		private final String id;

		Outcome(String id) {
			this.id = id;
		}

		/**
		 * Returns the result's name in {@link ExportEvents#upload}.
		 * @return the name
		 */
		String id() {
			return this.id;
		}

	}

	/**
	 * The answer to an upload.
	 *
	 * @param outcome how it went
	 * @param status the HTTP status, or -1 when there was none
	 * @param detail the start of the response, or the error
	 */
	record Result(Outcome outcome, int status, String detail) {
	}

}
