package dev.diagkit.endpoint;

import java.net.URI;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;
import org.springframework.web.util.UrlPathHelper;

/**
 * A diag call served by Spring MVC: the request and response bound to the current thread.
 */
final class ServletDiagCall implements DiagCall {

	private final HttpServletRequest request;

	private final @Nullable HttpServletResponse response;

	ServletDiagCall(HttpServletRequest request, @Nullable HttpServletResponse response) {
		this.request = request;
		this.response = response;
	}

	/**
	 * Returns the call the current thread serves.
	 * @return the call, or {@code null} outside a servlet request
	 */
	static @Nullable DiagCall current() {
		RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
		return (attributes instanceof ServletRequestAttributes servlet)
				? new ServletDiagCall(servlet.getRequest(), servlet.getResponse()) : null;
	}

	@Override
	public String clientAddress() {
		return this.request.getRemoteAddr();
	}

	@Override
	public String localAddress() {
		return this.request.getLocalAddr();
	}

	@Override
	public String path() {
		return UrlPathHelper.defaultInstance.getPathWithinApplication(this.request);
	}

	@Override
	public URI uri() {
		// the request's own encoding kept: toUri() would encode its percent signs again
		return URI.create(ServletUriComponentsBuilder.fromRequest(this.request).build().toUriString());
	}

	@Override
	public ClientDisconnects.Watch watch(ClientDisconnects disconnects) {
		return disconnects.watch(this.request.getLocalPort(), this.request.getRemoteAddr(),
				this.request.getRemotePort());
	}

	@Override
	public void header(String name, String value) {
		if (this.response != null) {
			this.response.setHeader(name, value);
		}
	}

}
