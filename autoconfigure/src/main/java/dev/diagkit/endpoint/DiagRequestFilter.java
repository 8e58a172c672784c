package dev.diagkit.endpoint;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.util.UrlPathHelper;

/**
 * Makes {@code /actuator/diag} answer HTTP the way Spring Boot's own endpoints do, and
 * always with its own errors:
 * <ul>
 * <li>a client without credentials whose address has no call left is refused ({@code 429})
 * before Spring MVC or Spring Security run, and only after about a second (without holding a
 * thread), so that a flood costs the application as little as it can;</li>
 * <li>a {@code POST} without a body (no {@code Content-Length}, or {@code 0}) is taken as an
 * empty JSON object, as {@code curl -X POST} sends it, instead of failing with {@code 415};</li>
 * <li>an error Spring MVC raises before diag's code runs (a body that is not a JSON object of
 * strings, an unsupported method or media type) is answered here with diag's JSON body
 * naming what was wrong. It is never forwarded to {@code /error}, where the application's
 * error page and security chain would answer (a bearer-token caller would get the
 * application's {@code 401} challenge and a session cookie, and conclude the token is
 * wrong).</li>
 * </ul>
 */
public final class DiagRequestFilter extends OncePerRequestFilter {

	/** Built once: the default name is concatenated on every request. */
	private static final String ALREADY_FILTERED = DiagRequestFilter.class.getName() + ALREADY_FILTERED_SUFFIX;

	/** How long a flooding client waits for its {@code 429}. */
	static final long REFUSAL_DELAY_MILLIS = DiagErrorMessages.REFUSAL_DELAY_MILLIS;

	private final String path;

	private final String lastSegment;

	private final @Nullable ClientRateLimiter rateLimiter;

	/**
	 * Creates the filter.
	 * @param path the endpoint's path within the application, such as
	 * {@code /actuator/diag}
	 * @param rateLimiter the endpoint's limiter, to refuse a client without credentials
	 * whose address has no call left before anything else runs, or {@code null}
	 */
	public DiagRequestFilter(String path, @Nullable ClientRateLimiter rateLimiter) {
		this.path = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
		this.lastSegment = this.path.substring(this.path.lastIndexOf('/') + 1);
		this.rateLimiter = rateLimiter;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		// every request of the application passes here: most are told apart without decoding
		String uri = request.getRequestURI();
		if (uri.indexOf('%') < 0 && !uri.contains(this.lastSegment)) {
			return true;
		}
		String within = UrlPathHelper.defaultInstance.getPathWithinApplication(request);
		return !(within.equals(this.path) || within.startsWith(this.path + "/"));
	}

	@Override
	protected String getAlreadyFilteredAttributeName() {
		return ALREADY_FILTERED;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (this.rateLimiter != null && request.getHeader(HttpHeaders.AUTHORIZATION) == null) {
			// a flood from one address is refused here, at a fraction of a full dispatch's cost
			try {
				this.rateLimiter.checkAddress(request.getRemoteAddr());
			}
			catch (TooManyRequestsException ex) {
				refuseLater(request, response, ex);
				return;
			}
		}
		HttpServletRequest effective = new DiagHttpRequest(request, isBodilessPost(request));
		ContainedErrors contained = new ContainedErrors(response);
		chain.doFilter(effective, contained);
		contained.answer(effective);
	}

	/**
	 * Answers a flooding client's {@code 429} after about {@value #REFUSAL_DELAY_MILLIS} ms,
	 * without holding a thread meanwhile (the container's async timeout answers it): each of
	 * its connections then costs the application one request a second, not thousands.
	 */
	private static void refuseLater(HttpServletRequest request, HttpServletResponse response,
			TooManyRequestsException refusal) throws IOException {
		response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(refusal.retryAfterSeconds()));
		if (!request.isAsyncSupported()) {
			DiagResponses.write(response, HttpStatus.TOO_MANY_REQUESTS.value(), refusal.getMessage());
			return;
		}
		AsyncContext async = request.startAsync(request, response);
		async.setTimeout(REFUSAL_DELAY_MILLIS);
		async.addListener(new AsyncListener() {

			@Override
			public void onTimeout(AsyncEvent event) throws IOException {
				try {
					DiagResponses.write(response, HttpStatus.TOO_MANY_REQUESTS.value(), refusal.getMessage());
				}
				finally {
					async.complete();
				}
			}

			@Override
			public void onError(AsyncEvent event) {
				async.complete();
			}

			@Override
			public void onComplete(AsyncEvent event) {
			}

			@Override
			public void onStartAsync(AsyncEvent event) {
			}

		});
	}

	/** No body: none announced, or an announced length of 0 (as {@code curl -d ''} sends). */
	private static boolean isBodilessPost(HttpServletRequest request) {
		if (!"POST".equals(request.getMethod()) || request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null) {
			return false;
		}
		long length = request.getContentLengthLong();
		return length == 0 || (length < 0 && request.getContentType() == null);
	}

	/**
	 * What an error raised before diag's code means to a diag caller.
	 */
	static String message(int status, @Nullable Object exception, HttpServletRequest request) {
		if (exception instanceof HttpMessageNotReadableException) {
			return DiagErrorMessages.unreadableBody();
		}
		if (exception instanceof HttpMediaTypeNotSupportedException) {
			return DiagErrorMessages.unsupportedContentType(request.getContentType());
		}
		if (exception instanceof HttpRequestMethodNotSupportedException ex) {
			return DiagErrorMessages.methodNotAllowed(ex.getMethod());
		}
		if (exception instanceof HttpMediaTypeNotAcceptableException) {
			return DiagErrorMessages.notAcceptable(request.getHeader(HttpHeaders.ACCEPT));
		}
		if (exception == null && status == 400) {
			return DiagErrorMessages.refusedPath(request.getRequestURI());
		}
		if (status == 404) {
			return DiagErrorMessages.noSection(request.getRequestURI());
		}
		HttpStatus known = HttpStatus.resolve(status);
		String reason = (known != null) ? known.getReasonPhrase() : "Error " + status;
		return (exception instanceof Exception ex && ex.getMessage() != null) ? reason + ": " + ex.getMessage()
				: reason;
	}

	/**
	 * A diag request as diag answers it: a bodiless POST presented as an empty JSON object,
	 * and no {@code Range}: a capture is a one-time file, deleted once sent, so it is sent
	 * whole or not at all.
	 */
	private static final class DiagHttpRequest extends HttpServletRequestWrapper {

		private static final List<String> HIDDEN = List.of(HttpHeaders.RANGE, HttpHeaders.IF_RANGE);

		private final boolean emptyJson;

		DiagHttpRequest(HttpServletRequest request, boolean emptyJson) {
			super(request);
			this.emptyJson = emptyJson;
		}

		@Override
		public @Nullable String getContentType() {
			return this.emptyJson ? MediaType.APPLICATION_JSON_VALUE : super.getContentType();
		}

		@Override
		public @Nullable String getHeader(String name) {
			if (hidden(name)) {
				return null;
			}
			return (this.emptyJson && HttpHeaders.CONTENT_TYPE.equalsIgnoreCase(name))
					? MediaType.APPLICATION_JSON_VALUE : super.getHeader(name);
		}

		@Override
		public Enumeration<String> getHeaders(String name) {
			if (hidden(name)) {
				return Collections.emptyEnumeration();
			}
			return (this.emptyJson && HttpHeaders.CONTENT_TYPE.equalsIgnoreCase(name))
					? Collections.enumeration(List.of(MediaType.APPLICATION_JSON_VALUE)) : super.getHeaders(name);
		}

		@Override
		public Enumeration<String> getHeaderNames() {
			List<String> names = new ArrayList<>(Collections.list(super.getHeaderNames()));
			names.removeIf(DiagHttpRequest::hidden);
			if (this.emptyJson && names.stream().noneMatch(HttpHeaders.CONTENT_TYPE::equalsIgnoreCase)) {
				names.add(HttpHeaders.CONTENT_TYPE.toLowerCase(Locale.ROOT));
			}
			return Collections.enumeration(names);
		}

		private static boolean hidden(String name) {
			return HIDDEN.stream().anyMatch(name::equalsIgnoreCase);
		}

	}

	/**
	 * Keeps {@code sendError} from reaching the container, which would forward the request
	 * to {@code /error}; the error is answered once the chain returns, when the exception
	 * that caused it is known.
	 */
	private static final class ContainedErrors extends HttpServletResponseWrapper {

		private int errorStatus;

		private @Nullable String errorMessage;

		ContainedErrors(HttpServletResponse response) {
			super(response);
		}

		@Override
		public void sendError(int status, String message) throws IOException {
			contain(status, message);
		}

		@Override
		public void sendError(int status) throws IOException {
			contain(status, null);
		}

		private void contain(int status, @Nullable String message) {
			if (isCommitted()) {
				throw new IllegalStateException("Cannot send an error after the response was committed");
			}
			this.errorStatus = status;
			this.errorMessage = message;
			resetBuffer();
			setStatus(status);
		}

		void answer(HttpServletRequest request) throws IOException {
			if (this.errorStatus == 0 || isCommitted()) {
				return;
			}
			Object exception = request.getAttribute(DispatcherServlet.EXCEPTION_ATTRIBUTE);
			String message = (exception == null && this.errorMessage != null && !this.errorMessage.isBlank())
					? this.errorMessage : DiagRequestFilter.message(this.errorStatus, exception, request);
			DiagResponses.write((HttpServletResponse) getResponse(), this.errorStatus, message);
		}

	}

}
