package dev.diagkit.security;

import java.util.List;

import org.springframework.security.authentication.AbstractAuthenticationToken;

/**
 * A diag bearer token as presented in {@code Authorization: Bearer <token>}, not yet
 * authenticated. Its credentials are erased once it has been checked.
 */
public final class DiagTokenAuthentication extends AbstractAuthenticationToken {

	private String token;

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
