package dev.diagkit.endpoint;

import java.security.Principal;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.diagkit.profiling.UnsafeRecordingException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;
import org.springframework.core.log.LogMessage;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * {@code /actuator/diag}: Go's {@code /debug/*} surface for the JVM. {@code GET
 * /actuator/diag} lists the sections ({@link DiagSection}); {@code GET|POST
 * /actuator/diag/{section}} hands the call to the section's {@link DiagSectionHandler}.
 * Every parameter is validated ({@code 400} with a message naming it), every client is
 * rate-limited and captures are limited in number ({@code 429} with {@code Retry-After}),
 * and mutations and captures are audited. Answers through Actuator's neutral
 * {@link WebEndpointResponse} on Spring MVC; on Spring WebFlux,
 * {@link ReactiveDiagEndpointExtension} answers the same calls.
 */
@WebEndpoint(id = "diag")
public class DiagEndpoint {

	private static final Log logger = LogFactory.getLog(DiagEndpoint.class);

	private static final String JSON = MediaType.APPLICATION_JSON_VALUE;

	private static final String TEXT = MediaType.TEXT_PLAIN_VALUE;

	private static final String OCTETS = MediaType.APPLICATION_OCTET_STREAM_VALUE;

	private static final String HTML = MediaType.TEXT_HTML_VALUE;

	private final Map<DiagSection, DiagSectionHandler> handlers = new EnumMap<>(DiagSection.class);

	private final DiagAccess access;

	private final ClientRateLimiter rateLimiter;

	private final CaptureGate captureGate;

	private final DiagAudit audit;

	private final ClientDisconnects disconnects;

	/**
	 * Creates the endpoint.
	 * @param handlers what answers each section, in order of precedence: the first handler of
	 * a section answers it (the auto-configuration puts the application's handlers before
	 * diagkit's own); a section without one is off and says how to turn it on
	 * @param access which clients may call, and the role mutations and captures need
	 * @param rateLimiter limits calls per client
	 * @param captureGate limits concurrent captures
	 * @param audit records mutations and captures
	 * @param disconnects stops captures whose client went away
	 */
	public DiagEndpoint(List<DiagSectionHandler> handlers, DiagAccess access, ClientRateLimiter rateLimiter,
			CaptureGate captureGate, DiagAudit audit, ClientDisconnects disconnects) {
		for (DiagSectionHandler handler : handlers) {
			this.handlers.putIfAbsent(handler.section(), handler);
		}
		this.access = access;
		this.rateLimiter = rateLimiter;
		this.captureGate = captureGate;
		this.audit = audit;
		this.disconnects = disconnects;
	}

	/**
	 * Lists the sections: what each returns and costs, whether it stops the world or
	 * mutates, the role it needs, and the limits in force.
	 * @param securityContext the caller
	 * @return the index
	 */
	@ReadOperation(produces = { JSON, TEXT })
	public WebEndpointResponse<?> index(SecurityContext securityContext) {
		DiagCall call = ServletDiagCall.current();
		return respond(index(securityContext, call), call);
	}

	/**
	 * Answers a call for the index through whichever web stack serves it.
	 * @param securityContext the caller
	 * @param call the exchange, or {@code null} when unknown
	 * @return the answer
	 */
	ResponseEntity<?> index(SecurityContext securityContext, @Nullable DiagCall call) {
		DiagRequest index = new DiagRequest("index", Map.of(), name(securityContext), (call != null) ? call.uri() : null);
		return answer(index, "GET", securityContext, call, (request) -> {
			List<Map<String, Object>> entries = new ArrayList<>();
			for (DiagSection section : DiagSection.values()) {
				Map<String, Object> entry = new LinkedHashMap<>();
				entry.put("section", section.path());
				entry.put("methods", section.methods());
				entry.put("returns", section.returns());
				entry.put("cost", section.cost());
				entry.put("stopsTheWorld", section.stopsTheWorld());
				entry.put("mutates", section.mutates());
				entry.put("role", section.needsAdmin("GET") ? "admin"
						: section.methods().contains("POST") ? "read; POST: admin" : "read");
				entry.put("parameters", section.parameters());
				entries.add(entry);
			}
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("sections", entries);
			body.put("limits", limits());
			return DiagResponses.json(body);
		});
	}

	/**
	 * Answers {@code GET /actuator/diag/{section}}.
	 * @param section the section
	 * @param format {@code json} or {@code text}, where the section offers both
	 * @param group for {@code stacks}: whether to group identical stacks
	 * @param seconds for {@code trace}: how long to record
	 * @param settings for {@code trace}: the JFR settings to start from
	 * @param type for {@code profile}: cpu, alloc or lock
	 * @param focus for {@code profile}: the labels samples must carry
	 * @param thread for {@code profile}: whether to label samples with their thread
	 * @param idle for a {@code lock} profile: whether to keep the waits of idle pool workers
	 * @param methods for {@code trace}: the methods to time (Java 25)
	 * @param securityContext the caller
	 * @return the answer
	 */
	@ReadOperation(produces = { JSON, TEXT, OCTETS, HTML })
	public WebEndpointResponse<?> read(@Selector String section, @Nullable String format, @Nullable String group,
			@Nullable String seconds, @Nullable String settings, @Nullable String type, @Nullable String focus,
			@Nullable String thread, @Nullable String idle, @Nullable String methods, SecurityContext securityContext) {
		DiagCall call = ServletDiagCall.current();
		return respond(call(section, "GET", parameters("format", format, "group", group, "seconds", seconds,
				"settings", settings, "type", type, "focus", focus, "thread", thread, "idle", idle, "methods", methods),
				securityContext, call), call);
	}

	/**
	 * Answers {@code GET /actuator/diag/{section}/{name}}: {@code profiles/{type}}.
	 * @param section the section
	 * @param name the name within it, such as the profile type
	 * @param format how to answer
	 * @param from the start of the range
	 * @param to the end of the range
	 * @param focus the labels samples must carry
	 * @param compare how far back the range to compare with lies
	 * @param securityContext the caller
	 * @return the answer
	 */
	@ReadOperation(produces = { JSON, TEXT, OCTETS, HTML })
	public WebEndpointResponse<?> readNamed(@Selector String section, @Selector String name, @Nullable String format,
			@Nullable String from, @Nullable String to, @Nullable String focus, @Nullable String compare,
			SecurityContext securityContext) {
		DiagCall call = ServletDiagCall.current();
		return respond(call(section + "/" + name, "GET", parameters("format", format, "from", from, "to", to, "focus",
				focus, "compare", compare), securityContext, call), call);
	}

	/**
	 * Answers {@code POST /actuator/diag/{section}}: {@code gc} and {@code settings}.
	 * @param section the section
	 * @param cpuInterval for {@code settings}: the CPU sampling interval
	 * @param allocationSamplesPerSecond for {@code settings}: allocation samples per second
	 * @param lockThreshold for {@code settings}: the shortest lock wait recorded
	 * @param ttl for {@code settings}: how long the change stays in force
	 * @param reset for {@code settings}: {@code true} to put the defaults back now
	 * @param action for {@code memory}: {@code pause} or {@code resume}
	 * @param base for {@code memory}: the heap target without pressure
	 * @param securityContext the caller
	 * @return the answer
	 */
	@WriteOperation(produces = { JSON })
	public WebEndpointResponse<?> write(@Selector String section, @Nullable String cpuInterval,
			@Nullable String allocationSamplesPerSecond, @Nullable String lockThreshold, @Nullable String ttl,
			@Nullable String reset, @Nullable String action, @Nullable String base, SecurityContext securityContext) {
		DiagCall call = ServletDiagCall.current();
		return respond(call(section, "POST",
				parameters("cpuInterval", cpuInterval, "allocationSamplesPerSecond", allocationSamplesPerSecond,
						"lockThreshold", lockThreshold, "ttl", ttl, "reset", reset, "action", action, "base", base),
				securityContext, call), call);
	}

	/**
	 * Answers a call for a section through whichever web stack serves it.
	 * @param section the section, with the name after it for a named section
	 * @param method {@code GET} or {@code POST}
	 * @param parameters the parameters given
	 * @param securityContext the caller
	 * @param call the exchange, or {@code null} when unknown
	 * @return the answer
	 */
	ResponseEntity<?> call(String section, String method, Map<String, String> parameters,
			SecurityContext securityContext, @Nullable DiagCall call) {
		DiagRequest request = new DiagRequest(section, parameters, name(securityContext),
				(call != null) ? call.uri() : null);
		return answer(request, method, securityContext, call, (r) -> dispatch(r, method));
	}

	/**
	 * Turns an answer into Actuator's neutral response, the headers other than its content
	 * type set on the exchange.
	 * @param answer the answer
	 * @param call the exchange, or {@code null} when unknown
	 * @return the response
	 */
	static WebEndpointResponse<?> respond(ResponseEntity<?> answer, @Nullable DiagCall call) {
		if (call != null) {
			answer.getHeaders().forEach((name, values) -> {
				if (!HttpHeaders.CONTENT_TYPE.equalsIgnoreCase(name)) {
					call.header(name, String.join(", ", values));
				}
			});
		}
		MediaType contentType = answer.getHeaders().getContentType();
		return new WebEndpointResponse<>(answer.getBody(), answer.getStatusCode().value(), contentType);
	}

	private ResponseEntity<?> answer(DiagRequest request, String method, SecurityContext securityContext,
			@Nullable DiagCall call, Handler handler) {
		String client = (call != null) ? call.clientAddress() : null;
		DiagSection section = DiagSection.of(request.section()).orElse(null);
		// a section whose capability is off does nothing worth auditing
		boolean audited = section != null && this.handlers.containsKey(section)
				&& (section.capture() || section.stopsTheWorld() || "POST".equals(method));
		try {
			NetworkAccess network = this.access.network();
			String local = (call != null) ? call.localAddress() : null;
			if (call != null && !network.allowsAll()
					&& (client == null || local == null || !network.allows(client, local))) {
				return DiagResponses.error(HttpStatus.FORBIDDEN, network.loopbackOnly()
						? "Diag answers only loopback clients because Spring Security does not secure it, and " + client
								+ " is not one. To let other clients in, add spring-boot-starter-security (diag then "
								+ "asks for a user with the role DIAG, or a bearer token from diagkit.security.tokens); "
								+ "or, on a network you trust, set diagkit.security.allowed-networks to the clients' "
								+ "networks (such as 10.0.0.0/8), or diagkit.security.allow-unauthenticated-remote=true "
								+ "to answer anyone without authentication"
						: NetworkAccess.refusal(client));
			}
			if (call != null && !"index".equals(request.section()) && !request.section()
				.equals(DiagCall.lastSegments(call.path(), (request.name() == null) ? 1 : 2))) {
				// a parameter named like the path variable would override it
				throw new InvalidParameterException("'section' is given by the path only, not as a parameter");
			}
			// before the role check: refusals count too, so they cannot flood the audit
			this.rateLimiter.acquire(request.principal(), client);
			String adminRole = this.access.adminRole();
			if (adminRole != null && section != null && section.needsAdmin(method)
					&& !securityContext.isUserInRole(adminRole)) {
				String message = "This diag operation needs the role " + adminRole + ", which "
						+ ((request.principal() != null) ? "'" + request.principal() + "'" : "an anonymous caller")
						+ " does not have";
				this.audit.record(request, method, client, "refused: " + message);
				return DiagResponses.error(HttpStatus.FORBIDDEN, message);
			}
			ResponseEntity<?> response;
			ClientDisconnects.Watch watch = (call != null && section != null && section.capture())
					? call.watch(this.disconnects) : null;
			try {
				response = handler.handle(request);
			}
			catch (Exception ex) {
				if ((watch != null && watch.hasClientLeft()) || (call != null && call.clientLeft())) {
					if (audited) {
						this.audit.record(request, method, client, "aborted by client");
					}
					return DiagResponses.error(HttpStatus.BAD_REQUEST, "The client went away; the capture was stopped");
				}
				throw ex;
			}
			finally {
				if (watch != null) {
					watch.close();
				}
			}
			if (audited && response.getBody() instanceof TemporaryFileResource file) {
				// known once the file is streamed, or not
				file.onFinished((sent) -> this.audit.record(request, method, client,
						sent ? "ok " + response.getStatusCode().value() : "aborted by client"));
			}
			else if (audited) {
				this.audit.record(request, method, client, "ok " + response.getStatusCode().value());
			}
			return response;
		}
		catch (InvalidParameterException ex) {
			auditRejection(audited, request, method, client, ex);
			return DiagResponses.error(HttpStatus.BAD_REQUEST, ex.getMessage());
		}
		catch (MethodNotAllowedException ex) {
			return ResponseEntity.status(HttpStatus.METHOD_NOT_ALLOWED)
				.header(HttpHeaders.ALLOW, ex.allowed())
				.contentType(MediaType.APPLICATION_JSON)
				.body(DiagResponses.errorBody(HttpStatus.METHOD_NOT_ALLOWED, ex.getMessage()));
		}
		catch (TooManyRequestsException ex) {
			auditRejection(audited, request, method, client, ex);
			return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
				.header(HttpHeaders.RETRY_AFTER, Long.toString(ex.retryAfterSeconds()))
				.contentType(MediaType.APPLICATION_JSON)
				.body(DiagResponses.errorBody(HttpStatus.TOO_MANY_REQUESTS, ex.getMessage()));
		}
		catch (UnsafeRecordingException ex) {
			auditRejection(audited, request, method, client, ex);
			return DiagResponses.error(HttpStatus.CONFLICT, ex.getMessage());
		}
		catch (Exception ex) {
			logger.warn(LogMessage.format("diag %s %s failed", method, request.section()), ex);
			if (audited) {
				this.audit.record(request, method, client, "failed: " + ex);
			}
			return DiagResponses.error(HttpStatus.INTERNAL_SERVER_ERROR,
					"The " + request.section() + " section failed; the application log has the details");
		}
	}

	private void auditRejection(boolean audited, DiagRequest request, String method, @Nullable String client,
			Exception ex) {
		if (audited) {
			this.audit.record(request, method, client, "rejected: " + ex.getMessage());
		}
	}

	/**
	 * Hands a call to its section's handler once the method is one the section answers (the
	 * table, not the handler, says which); a section whose capability is off says so and
	 * names the property that turns it on.
	 */
	private ResponseEntity<?> dispatch(DiagRequest request, String method) throws Exception {
		DiagSection section = sectionOf(request);
		if (!section.answers(method)) {
			throw MethodNotAllowedException.of(section);
		}
		DiagSectionHandler handler = this.handlers.get(section);
		if (handler != null) {
			return "POST".equals(method) ? handler.write(request) : handler.read(request);
		}
		String off = section.off();
		return DiagResponses.off((off != null) ? off : "The " + section.path() + " section is not available",
				"text".equalsIgnoreCase(request.get("format")));
	}

	private Map<String, Object> limits() {
		Map<String, Object> limits = new LinkedHashMap<>();
		limits.put("maxConcurrentCaptures", this.captureGate.maxConcurrent());
		limits.put("requestsPerMinute", this.rateLimiter.requestsPerMinute());
		limits.put("burst", this.rateLimiter.burst());
		this.handlers.values().forEach((handler) -> limits.putAll(handler.limits()));
		return limits;
	}

	private static DiagSection sectionOf(DiagRequest request) {
		return DiagSection.of(request.section())
			.orElseThrow(() -> new InvalidParameterException("Unknown section '" + request.section()
					+ "'; the sections are " + String.join(", ", DiagSection.names())));
	}

	static Map<String, String> parameters(@Nullable String... namesAndValues) {
		Map<String, String> parameters = new LinkedHashMap<>();
		for (int i = 0; i < namesAndValues.length; i += 2) {
			String value = namesAndValues[i + 1];
			if (value != null) {
				parameters.put(namesAndValues[i], value);
			}
		}
		return parameters;
	}

	private static @Nullable String name(SecurityContext securityContext) {
		Principal principal = securityContext.getPrincipal();
		return (principal != null) ? principal.getName() : null;
	}

	@FunctionalInterface
	private interface Handler {

		ResponseEntity<?> handle(DiagRequest request) throws Exception;

	}

}
