package dev.diagkit.security;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.diagkit.endpoint.ClientRateLimiter;
import dev.diagkit.endpoint.DiagAudit;
import dev.diagkit.endpoint.DiagCall;
import dev.diagkit.endpoint.DiagRequest;
import dev.diagkit.endpoint.DiagResponses;
import dev.diagkit.endpoint.TooManyRequestsException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.web.util.UrlPathHelper;

/**
 * Answers refused diag calls with a status and a JSON body, set directly on the response:
 * {@code sendError} would dispatch to {@code /error}, which the diag chain does not cover,
 * and the application's chain could answer with a redirect to a login page. A caller
 * refused for a missing role is audited.
 */
public final class DiagErrorResponses implements AuthenticationEntryPoint, AccessDeniedHandler {

	private final @Nullable DiagAudit audit;

	private final @Nullable ClientRateLimiter rateLimiter;

	/**
	 * Creates the responses, without auditing refusals.
	 */
	public DiagErrorResponses() {
		this(null, null);
	}

	/**
	 * Creates the responses.
	 * @param audit records callers refused for a missing role, or {@code null}
	 * @param rateLimiter counts those refusals against the caller's limit, so that they
	 * cannot flood the audit (beyond it the caller gets {@code 429}), or {@code null}
	 */
	public DiagErrorResponses(@Nullable DiagAudit audit, @Nullable ClientRateLimiter rateLimiter) {
		this.audit = audit;
		this.rateLimiter = rateLimiter;
	}

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException authException) throws IOException {
		response.addHeader("WWW-Authenticate", "Basic realm=\"diag\"");
		response.addHeader("WWW-Authenticate", "Bearer realm=\"diag\"");
		DiagResponses.write(response, HttpServletResponse.SC_UNAUTHORIZED,
				"Authentication required: HTTP Basic with a user that has the diag role, or a diag bearer token");
	}

	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response,
			AccessDeniedException accessDeniedException) throws IOException {
		String principal = (request.getUserPrincipal() != null) ? request.getUserPrincipal().getName() : null;
		if (this.rateLimiter != null) {
			try {
				this.rateLimiter.acquire(principal, request.getRemoteAddr());
			}
			catch (TooManyRequestsException ex) {
				response.setHeader("Retry-After", Long.toString(ex.retryAfterSeconds()));
				DiagResponses.write(response, 429, ex.getMessage());
				return;
			}
		}
		if (this.audit != null) {
			String section = DiagCall.lastSegments(UrlPathHelper.defaultInstance.getPathWithinApplication(request), 1);
			Map<String, String> parameters = new LinkedHashMap<>();
			request.getParameterMap().forEach((name, values) -> parameters.put(name, String.join(",", values)));
			this.audit.record(new DiagRequest(section, parameters, principal), request.getMethod(),
					request.getRemoteAddr(), "refused: " + accessDeniedException.getMessage());
		}
		DiagResponses.write(response, HttpServletResponse.SC_FORBIDDEN, accessDeniedException.getMessage());
	}

}
