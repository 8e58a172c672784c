package dev.diagkit.security;

import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

import org.springframework.security.authentication.AbstractAuthenticationToken;

/**
 * A diag bearer token as presented in {@code Authorization: Bearer <token>}, not yet
 * authenticated. Its credentials are erased once it has been checked.
 */
public final class DiagTokenAuthentication extends AbstractAuthenticationToken {

	private static final String BEARER = "bearer ";

	private String token;

	/**
	 * Reads an {@code Authorization} header that carries a bearer token.
	 * @param header the header's value, or {@code null} when absent
	 * @return the token's authentication, or {@code null} when the header carries none
	 */
	public static @Nullable DiagTokenAuthentication fromAuthorization(@Nullable String header) {
		if (header == null || !header.toLowerCase(Locale.ROOT).startsWith(BEARER)) {
			return null;
		}
		return new DiagTokenAuthentication(header.substring(BEARER.length()).trim());
	}

	/**
	 * Creates the request to authenticate a presented token.
	 * @param token the token as presented
	 */
	public DiagTokenAuthentication(String token) {
		super(List.of());
		this.token = token;
		setAuthenticated(false);
	}

	@Override
	public Object getCredentials() {
		return this.token;
	}

	@Override
	public Object getPrincipal() {
		return "diag bearer token";
	}

	@Override
	public void eraseCredentials() {
		super.eraseCredentials();
		this.token = "";
	}

}
