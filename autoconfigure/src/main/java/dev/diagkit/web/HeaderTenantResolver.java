package dev.diagkit.web;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * Reads the tenant from a request header, optionally only once the request is authenticated
 * (the header is then read when the handler is known, after the security filters).
 */
public final class HeaderTenantResolver implements TenantResolver {

	private final String headerName;

	private final boolean requiresAuthentication;

	/**
	 * Creates a resolver for the given header.
	 * @param headerName the header, for example {@code X-Tenant-ID}
	 */
	public HeaderTenantResolver(String headerName) {
		this(headerName, false);
	}

	/**
	 * Creates a resolver for the given header.
	 * @param headerName the header, for example {@code X-Tenant-ID}
	 * @param requiresAuthentication whether to read the header only once the request has
	 * an authenticated principal
	 */
	public HeaderTenantResolver(String headerName, boolean requiresAuthentication) {
		this.requiresAuthentication = requiresAuthentication;
		if (headerName == null || headerName.isBlank()) {
			throw new IllegalArgumentException("headerName must not be blank");
		}
		this.headerName = headerName;
	}

	@Override
	public @Nullable String resolveTenant(HttpServletRequest request) {
		if (this.requiresAuthentication && request.getUserPrincipal() == null) {
			return null;
		}
		String value = request.getHeader(this.headerName);
		return (value == null || value.isBlank()) ? null : value.trim();
	}

	@Override
	public String toString() {
		return "HeaderTenantResolver[" + this.headerName + (this.requiresAuthentication ? ", authenticated" : "")
				+ "]";
	}

}
