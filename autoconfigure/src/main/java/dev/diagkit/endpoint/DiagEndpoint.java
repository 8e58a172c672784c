package dev.diagkit.endpoint;

import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.util.UrlPathHelper;

/**
 * {@code /actuator/diag}: Go's {@code /debug/*} surface for the JVM. {@code GET
 * /actuator/diag} lists the sections ({@link DiagSection}); {@code GET|POST
 * /actuator/diag/{section}} answers one. Every parameter is validated ({@code 400} with a
 * message naming it), every client is rate-limited and captures are limited in number
 * ({@code 429} with {@code Retry-After}), and mutations and captures are audited. Answers on
 * Spring MVC.
 */
@WebEndpoint(id = "diag")
public class DiagEndpoint {

	private static final Logger logger = LoggerFactory.getLogger(DiagEndpoint.class);

	private static final String JSON = MediaType.APPLICATION_JSON_VALUE;

	private static final String TEXT = MediaType.TEXT_PLAIN_VALUE;

	private static final String OCTETS = MediaType.APPLICATION_OCTET_STREAM_VALUE;

	private static final String HTML = MediaType.TEXT_HTML_VALUE;

	private final DiagSections sections;

	private final DiagLimits limits;

	private final ClientRateLimiter rateLimiter;

	private final CaptureGate captureGate;

	private final NetworkAccess networkAccess;

	private final @Nullable String adminRole;

	private final DiagAudit audit;

	/**
	 * Creates the endpoint.
	 * @param sections what answers each section
	 * @param limits the limits on parameters
	 * @param rateLimiter limits calls per client
	 * @param captureGate limits concurrent captures
	 * @param networkAccess which clients may call
	 * @param adminRole the role mutations and captures need, checked again here on the
	 * section actually answered; {@code null} when no diag security chain authenticates
	 * callers
	 * @param audit records mutations and captures
	 */
	public DiagEndpoint(DiagSections sections, DiagLimits limits, ClientRateLimiter rateLimiter,
			CaptureGate captureGate, NetworkAccess networkAccess, @Nullable String adminRole, DiagAudit audit) {
		this.sections = sections;
		this.limits = limits;
		this.rateLimiter = rateLimiter;
		this.captureGate = captureGate;
		this.networkAccess = networkAccess;
		this.adminRole = adminRole;
		this.audit = audit;
	}

	/**
	 * Lists the sections: what each returns and costs, whether it stops the world or
	 * mutates, the role it needs, and the limits in force.
	 * @param securityContext the caller
	 * @return the index
	 */
	@ReadOperation(produces = { JSON, TEXT })
	public ResponseEntity<?> index(SecurityContext securityContext) {
		return answer(new DiagRequest("index", Map.of(), name(securityContext)), "GET", securityContext, (request) -> {
			List<Map<String, Object>> entries = new java.util.ArrayList<>();
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
			body.put("limits", this.limits.describe());
			return json(body);
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
	 * @param securityContext the caller
	 * @return the answer
	 */
	@ReadOperation(produces = { JSON, TEXT, OCTETS, HTML })
	public ResponseEntity<?> read(@Selector String section, @Nullable String format, @Nullable String group,
			@Nullable String seconds, @Nullable String settings, @Nullable String type, @Nullable String focus,
			@Nullable String thread, SecurityContext securityContext) {
		DiagRequest request = new DiagRequest(section, parameters("format", format, "group", group, "seconds", seconds,
				"settings", settings, "type", type, "focus", focus, "thread", thread), name(securityContext));
		return answer(request, "GET", securityContext, (r) -> this.sections.read(sectionOf(r), r));
	}

	/**
	 * Answers {@code POST /actuator/diag/{section}}: {@code gc} and {@code settings}.
	 * @param section the section
	 * @param cpuInterval for {@code settings}: the CPU sampling interval
	 * @param allocationSamplesPerSecond for {@code settings}: allocation samples per second
	 * @param lockThreshold for {@code settings}: the shortest lock wait recorded
	 * @param ttl for {@code settings}: how long the change stays in force
	 * @param reset for {@code settings}: {@code true} to put the defaults back now
	 * @param securityContext the caller
	 * @return the answer
	 */
	@WriteOperation(produces = { JSON })
	public ResponseEntity<?> write(@Selector String section, @Nullable String cpuInterval,
			@Nullable String allocationSamplesPerSecond, @Nullable String lockThreshold, @Nullable String ttl,
			@Nullable String reset, SecurityContext securityContext) {
		DiagRequest request = new DiagRequest(section,
				parameters("cpuInterval", cpuInterval, "allocationSamplesPerSecond", allocationSamplesPerSecond,
						"lockThreshold", lockThreshold, "ttl", ttl, "reset", reset),
				name(securityContext));
		return answer(request, "POST", securityContext, (r) -> this.sections.write(sectionOf(r), r));
	}

	private ResponseEntity<?> answer(DiagRequest request, String method, SecurityContext securityContext,
			Handler handler) {
		HttpServletRequest servlet = currentRequest();
		String client = (servlet != null) ? servlet.getRemoteAddr() : null;
		DiagSection section = DiagSection.of(request.section()).orElse(null);
		boolean audited = section != null && (section.capture() || "POST".equals(method));
		try {
			if (servlet != null && !this.networkAccess.allowsAll()
					&& !this.networkAccess.allows(servlet.getRemoteAddr(), servlet.getLocalAddr())) {
				return error(HttpStatus.FORBIDDEN, this.networkAccess.loopbackOnly()
						? "Diag answers only loopback clients when Spring Security does not secure it (set "
								+ "diagkit.security.allow-unauthenticated-remote=true or "
								+ "diagkit.security.allowed-networks to allow others); " + client + " is not allowed"
						: "Diag is not open to " + client + " (diagkit.security.allowed-networks)");
			}
			if (servlet != null && !"index".equals(request.section())
					&& !request.section().equals(lastPathSegment(servlet))) {
				// a parameter named like the path variable would override it
				throw new InvalidParameterException("'section' is given by the path only, not as a parameter");
			}
			if (this.adminRole != null && section != null && section.needsAdmin(method)
					&& !securityContext.isUserInRole(this.adminRole)) {
				return error(HttpStatus.FORBIDDEN, "This diag operation needs the role " + this.adminRole);
			}
			this.rateLimiter.acquire((request.principal() != null) ? "user " + request.principal()
					: "address " + client);
			ResponseEntity<?> response = handler.handle(request);
			if (audited) {
				this.audit.record(request, method, client, "ok " + response.getStatusCode().value());
			}
			return response;
		}
		catch (InvalidParameterException ex) {
			auditRejection(audited, request, method, client, ex);
			return error(HttpStatus.BAD_REQUEST, ex.getMessage());
		}
		catch (MethodNotAllowedException ex) {
			return ResponseEntity.status(HttpStatus.METHOD_NOT_ALLOWED)
				.header(HttpHeaders.ALLOW, ex.allowed())
				.contentType(MediaType.APPLICATION_JSON)
				.body(errorBody(HttpStatus.METHOD_NOT_ALLOWED, ex.getMessage()));
		}
		catch (TooManyRequestsException ex) {
			auditRejection(audited, request, method, client, ex);
			return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
				.header(HttpHeaders.RETRY_AFTER, Long.toString(ex.retryAfterSeconds()))
				.contentType(MediaType.APPLICATION_JSON)
				.body(errorBody(HttpStatus.TOO_MANY_REQUESTS, ex.getMessage()));
		}
		catch (Exception ex) {
			logger.warn("diag {} {} failed", method, request.section(), ex);
			if (audited) {
				this.audit.record(request, method, client, "failed: " + ex);
			}
			return error(HttpStatus.INTERNAL_SERVER_ERROR,
					"The " + request.section() + " section failed; the application log has the details");
		}
	}

	private static String lastPathSegment(HttpServletRequest request) {
		String path = UrlPathHelper.defaultInstance.getPathWithinApplication(request);
		String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
		return trimmed.substring(trimmed.lastIndexOf('/') + 1);
	}

	private void auditRejection(boolean audited, DiagRequest request, String method, @Nullable String client,
			RuntimeException ex) {
		if (audited) {
			this.audit.record(request, method, client, "rejected: " + ex.getMessage());
		}
	}

	private static DiagSection sectionOf(DiagRequest request) {
		return DiagSection.of(request.section())
			.orElseThrow(() -> new InvalidParameterException("Unknown section '" + request.section()
					+ "'; the sections are " + String.join(", ", DiagSection.names())));
	}

	private static Map<String, String> parameters(@Nullable String... namesAndValues) {
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

	private static @Nullable HttpServletRequest currentRequest() {
		RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
		return (attributes instanceof ServletRequestAttributes servlet) ? servlet.getRequest() : null;
	}

	static ResponseEntity<Map<String, Object>> json(Map<String, Object> body) {
		return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(body);
	}

	static ResponseEntity<String> text(String body) {
		return ResponseEntity.ok().contentType(new MediaType("text", "plain", java.nio.charset.StandardCharsets.UTF_8))
			.body(body);
	}

	static ResponseEntity<Map<String, Object>> error(HttpStatus status, @Nullable String message) {
		return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(errorBody(status, message));
	}

	private static Map<String, Object> errorBody(HttpStatus status, @Nullable String message) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("status", status.value());
		body.put("message", (message != null) ? message : status.getReasonPhrase());
		return body;
	}

	@FunctionalInterface
	private interface Handler {

		ResponseEntity<?> handle(DiagRequest request) throws Exception;

	}

}
