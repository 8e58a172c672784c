package dev.diagkit.web;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * Finds the tenant a request belongs to, for the {@code tenant} label. The default reads a
 * header ({@link HeaderTenantResolver}); define a bean of this type to take it from a JWT
 * claim, the principal or the host name instead. It is asked once before the security
 * filters run and, when it found nothing then, once more when the handler is known, so a
 * resolver that reads the authenticated principal works.
 */
@FunctionalInterface
public interface TenantResolver {

	/**
	 * Returns the tenant of a request.
	 * @param request the request
	 * @return the tenant, or {@code null} if the request names none
	 */
	@Nullable String resolveTenant(HttpServletRequest request);

}
