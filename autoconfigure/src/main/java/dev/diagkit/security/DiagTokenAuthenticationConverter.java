package dev.diagkit.security;

import java.util.Locale;

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

	private static final String BEARER = "bearer ";

	@Override
	public @Nullable Authentication convert(HttpServletRequest request) {
		String header = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (header == null || !header.toLowerCase(Locale.ROOT).startsWith(BEARER)) {
			return null;
		}
		return new DiagTokenAuthentication(header.substring(BEARER.length()).trim());
	}

}
