package dev.diagkit.security;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Reads {@code Authorization: Bearer <token>} into a {@link DiagTokenAuthentication}; other
 * requests are left to the next authentication (HTTP Basic).
 */
public final class DiagTokenAuthenticationConverter implements AuthenticationConverter {

	@Override
	public @Nullable Authentication convert(HttpServletRequest request) {
		return DiagTokenAuthentication.fromAuthorization(request.getHeader(HttpHeaders.AUTHORIZATION));
	}

}
