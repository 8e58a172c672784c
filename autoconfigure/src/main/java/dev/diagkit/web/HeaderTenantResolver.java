package dev.diagkit.web;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * Reads the tenant from a request header.
 */
public final class HeaderTenantResolver implements TenantResolver {

	private final String headerName;

	/**
	 * Creates a resolver for the given header.
	 * @param headerName the header, for example {@code X-Tenant-ID}
	 */
	public HeaderTenantResolver(String headerName) {
		if (headerName == null || headerName.isBlank()) {
			throw new IllegalArgumentException("headerName must not be blank");
		}
		this.headerName = headerName;
	}

	@Override
	public @Nullable String resolveTenant(HttpServletRequest request) {
		String value = request.getHeader(this.headerName);
		return (value == null || value.isBlank()) ? null : value.trim();
	}

	@Override
	public String toString() {
		return "HeaderTenantResolver[" + this.headerName + "]";
	}

}
