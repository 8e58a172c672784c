package dev.diagkit.export;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.jspecify.annotations.Nullable;

/**
 * A stand-in for Pyroscope's {@code POST /ingest} on a random local port. It checks each
 * request as grafana/pyroscope's {@code ingest_handler.go} and {@code labelset.Parse} do
 * (name syntax, service and label name characters, the reserved {@code __name__}), plus what
 * diagkit promises on top: {@code from}/{@code until} in epoch seconds, {@code format=pprof},
 * {@code spyName=diagkit}, an {@code application/octet-stream} body that is gzip'd pprof.
 * A request that breaks the contract gets a 400 and is listed in {@link #violations()};
 * the others are answered by the {@link Responder} (200 by default), and those answered
 * 2xx and stored are listed in {@link #stored()}, in arrival order.
 * <p>
 * {@link #stop()} closes the port (connections are refused) and {@link #restart()} opens the
 * same port again.
 */
public final class PyroscopeIngestServer implements AutoCloseable {

	private static final Pattern SECONDS = Pattern.compile("\\d{1,10}");

	private final int port;

	private final ExecutorService executor = Executors.newCachedThreadPool((task) -> {
		Thread thread = new Thread(task, "test-pyroscope-server");
		thread.setDaemon(true);
		return thread;
	});

	private final List<Ingest> received = new CopyOnWriteArrayList<>();

	private final List<Ingest> stored = new CopyOnWriteArrayList<>();

	private final List<String> violations = new CopyOnWriteArrayList<>();

	private final Map<Long, AtomicInteger> attempts = new ConcurrentHashMap<>();

	private volatile Responder responder = (ingest, attempt) -> Reply.ok();

	private volatile @Nullable HttpServer server;

	private PyroscopeIngestServer(HttpServer server) {
		this.server = server;
		this.port = server.getAddress().getPort();
	}

	public static PyroscopeIngestServer start() throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		PyroscopeIngestServer ingest = new PyroscopeIngestServer(server);
		ingest.serve(server);
		return ingest;
	}

	private void serve(HttpServer server) {
		server.setExecutor(this.executor);
		server.createContext("/", this::handle);
		server.start();
	}

	public URI url() {
		return URI.create("http://127.0.0.1:" + this.port);
	}

	/** Closes the port: connections are refused until {@link #restart()}. */
	void stop() {
		HttpServer server = this.server;
		if (server != null) {
			server.stop(0);
			this.server = null;
		}
	}

	/** Opens the same port again. */
	void restart() throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.port), 0);
		serve(server);
		this.server = server;
	}

	void respond(Responder responder) {
		this.responder = responder;
	}

	/** Requests that kept the contract, in arrival order, however they were answered. */
	List<Ingest> received() {
		return List.copyOf(this.received);
	}

	/** Requests answered 2xx and stored, in arrival order. */
	public List<Ingest> stored() {
		return List.copyOf(this.stored);
	}

	/** The windows stored, by their {@code from}, in arrival order. */
	List<Long> storedFroms() {
		return this.stored.stream().map(Ingest::from).toList();
	}

	public List<String> violations() {
		return List.copyOf(this.violations);
	}

	@Override
	public void close() throws InterruptedException {
		stop();
		this.executor.shutdownNow();
		this.executor.awaitTermination(5, TimeUnit.SECONDS);
	}

	private void handle(HttpExchange exchange) throws IOException {
		try {
			byte[] body = exchange.getRequestBody().readAllBytes();
			Ingest ingest;
			try {
				ingest = parse(exchange, body);
			}
			catch (ContractViolation ex) {
				this.violations.add(ex.getMessage());
				reply(exchange, 400, "{\"code\":\"invalid_argument\",\"message\":\"" + ex.getMessage() + "\"}");
				return;
			}
			this.received.add(ingest);
			int attempt = this.attempts.computeIfAbsent(ingest.from(), (from) -> new AtomicInteger()).incrementAndGet();
			Reply reply = this.responder.reply(ingest, attempt);
			if (!reply.delay().isZero()) {
				Thread.sleep(reply.delay().toMillis());
			}
			if (reply.status() / 100 == 2 && reply.store()) {
				this.stored.add(ingest);
			}
			reply(exchange, reply.status(), reply.body());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (IOException ex) {
			// the client left, as after its read timeout
		}
		finally {
			exchange.close();
		}
	}

	private static void reply(HttpExchange exchange, int status, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.sendResponseHeaders(status, (bytes.length == 0) ? -1 : bytes.length);
		if (bytes.length > 0) {
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(bytes);
			}
		}
	}

	private static Ingest parse(HttpExchange exchange, byte[] body) throws ContractViolation {
		if (!exchange.getRequestMethod().equals("POST")) {
			throw new ContractViolation("method must be POST, was " + exchange.getRequestMethod());
		}
		if (!exchange.getRequestURI().getPath().equals("/ingest")) {
			throw new ContractViolation("path must be /ingest, was " + exchange.getRequestURI().getPath());
		}
		Map<String, List<String>> query = query(exchange.getRequestURI().getRawQuery());
		String name = single(query, "name");
		if (name == null) {
			throw new ContractViolation("name: service name is required");
		}
		ParsedName parsed = parseName(name);
		String from = single(query, "from");
		String until = single(query, "until");
		if (from == null || until == null || !SECONDS.matcher(from).matches() || !SECONDS.matcher(until).matches()) {
			throw new ContractViolation("from and until must be epoch seconds, were " + from + " and " + until);
		}
		if (Long.parseLong(from) > Long.parseLong(until)) {
			throw new ContractViolation("from " + from + " is after until " + until);
		}
		if (!"pprof".equals(single(query, "format"))) {
			throw new ContractViolation("format must be pprof, was " + single(query, "format"));
		}
		if (!"diagkit".equals(single(query, "spyName"))) {
			throw new ContractViolation("spyName must be diagkit, was " + single(query, "spyName"));
		}
		String sampleRate = single(query, "sampleRate");
		if (sampleRate != null && !sampleRate.matches("\\d+")) {
			throw new ContractViolation("sampleRate must be a non-negative integer, was " + sampleRate);
		}
		Map<String, String> headers = new LinkedHashMap<>();
		exchange.getRequestHeaders().forEach((key, values) -> headers.put(key.toLowerCase(Locale.ROOT), values.get(0)));
		if (!"application/octet-stream".equals(headers.get("content-type"))) {
			throw new ContractViolation("Content-Type must be application/octet-stream, was " + headers.get("content-type"));
		}
		if (body.length < 2 || (body[0] & 0xff) != 0x1f || (body[1] & 0xff) != 0x8b) {
			throw new ContractViolation("the body is not gzip'd");
		}
		IngestedProfile profile;
		try {
			profile = IngestedProfile.read(body);
		}
		catch (IOException ex) {
			throw new ContractViolation("the body is not pprof: " + ex);
		}
		return new Ingest(parsed.serviceName(), parsed.labels(), Long.parseLong(from), Long.parseLong(until),
				(sampleRate != null) ? Long.valueOf(sampleRate) : null, headers, body, profile);
	}

	private static Map<String, List<String>> query(@Nullable String raw) {
		Map<String, List<String>> query = new LinkedHashMap<>();
		if (raw == null) {
			return query;
		}
		for (String pair : raw.split("&")) {
			int equals = pair.indexOf('=');
			String key = URLDecoder.decode((equals >= 0) ? pair.substring(0, equals) : pair, StandardCharsets.UTF_8);
			String value = (equals >= 0) ? URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8) : "";
			query.computeIfAbsent(key, (k) -> new ArrayList<>()).add(value);
		}
		return query;
	}

	private static @Nullable String single(Map<String, List<String>> query, String key) {
		List<String> values = query.get(key);
		return (values != null) ? values.get(0) : null;
	}

	/**
	 * Parses the name as {@code labelset.Parse} does: the service up to {@code {}, then
	 * {@code key=value} pairs up to {@code ,} or {@code }}, each part trimmed; the service
	 * name keeps to {@code [A-Za-z0-9_.\-/]}, label names to {@code [A-Za-z0-9_.]}.
	 */
	static ParsedName parseName(String name) throws ContractViolation {
		String serviceName = null;
		Map<String, String> labels = new LinkedHashMap<>();
		StringBuilder key = new StringBuilder();
		StringBuilder value = new StringBuilder();
		int state = 0;
		for (char c : (name + "{").toCharArray()) {
			switch (state) {
				case 0 -> {
					if (c == '{') {
						state = 1;
						serviceName = value.toString().strip();
						checkServiceName(serviceName);
					}
					else {
						value.append(c);
					}
				}
				case 1 -> {
					if (c == '}') {
						state = 3;
					}
					else if (c == '=') {
						state = 2;
						value.setLength(0);
					}
					else {
						key.append(c);
					}
				}
				case 2 -> {
					if (c == ',' || c == '}') {
						state = 1;
						String labelName = key.toString().strip();
						checkLabelName(labelName);
						labels.put(labelName, value.toString().strip());
						key.setLength(0);
					}
					else {
						value.append(c);
					}
				}
				default -> {
				}
			}
		}
		return new ParsedName(serviceName, labels);
	}

	private static void checkServiceName(String name) throws ContractViolation {
		if (name.isEmpty()) {
			throw new ContractViolation("service name is required");
		}
		for (char c : name.toCharArray()) {
			if (!(isLabelNameChar(c) || c == '-' || c == '/')) {
				throw new ContractViolation("invalid service name: " + name + ": character is not allowed: " + c);
			}
		}
	}

	private static void checkLabelName(String name) throws ContractViolation {
		if (name.isEmpty()) {
			throw new ContractViolation("label name is required");
		}
		for (char c : name.toCharArray()) {
			if (!isLabelNameChar(c)) {
				throw new ContractViolation("invalid label name: " + name + ": character is not allowed: " + c);
			}
		}
		if (name.equals("__name__")) {
			throw new ContractViolation("label name is reserved: " + name);
		}
	}

	private static boolean isLabelNameChar(char c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
	}

	/**
	 * A request the server accepted as keeping the contract.
	 *
	 * @param serviceName the service, before {@code {}
	 * @param labels the series labels
	 * @param from {@code from}, epoch seconds
	 * @param until {@code until}, epoch seconds
	 * @param sampleRate {@code sampleRate}, or {@code null} when not sent
	 * @param headers the headers, names in lower case
	 * @param body the gzip'd pprof
	 * @param profile the pprof, decoded
	 */
	public record Ingest(String serviceName, Map<String, String> labels, long from, long until, @Nullable Long sampleRate,
			Map<String, String> headers, byte[] body, IngestedProfile profile) {
	}

	/**
	 * A parsed {@code name}.
	 *
	 * @param serviceName the service
	 * @param labels the labels
	 */
	record ParsedName(String serviceName, Map<String, String> labels) {
	}

	/**
	 * How to answer a request.
	 *
	 * @param status the status
	 * @param body the body
	 * @param delay how long to wait before answering
	 * @param store whether a 2xx answer stores the window (a backend may give up on a
	 * request whose client has gone)
	 */
	record Reply(int status, String body, Duration delay, boolean store) {

		static Reply ok() {
			return new Reply(200, "", Duration.ZERO, true);
		}

		static Reply status(int status, String body) {
			return new Reply(status, body, Duration.ZERO, false);
		}

		/** A 200 after {@code delay}, the window not stored. */
		static Reply late(Duration delay) {
			return new Reply(200, "", delay, false);
		}

	}

	/**
	 * Answers a request that kept the contract.
	 */
	@FunctionalInterface
	interface Responder {

		/**
		 * @param ingest the request
		 * @param attempt how many times a window with this {@code from} arrived, this one
		 * included
		 * @return the answer
		 */
		Reply reply(Ingest ingest, int attempt) throws InterruptedException;

	}

	static final class ContractViolation extends Exception {

		ContractViolation(String message) {
			super(message);
		}

	}

}
