package dev.diagkit.security;

import java.security.MessageDigest;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * Authenticates a {@link DiagTokenAuthentication} against the configured
 * {@link DiagToken}s. Every token is compared, SHA-256 digests in constant time, so the time
 * taken does not tell which one nearly matched. A token that matches none fails with
 * {@link BadCredentialsException}.
 */
public final class DiagTokenAuthenticationProvider implements AuthenticationProvider {

	private final List<DiagToken> tokens;

	private final BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder();

	/**
	 * Creates the provider.
	 * @param tokens the tokens that may call diag
	 */
	public DiagTokenAuthenticationProvider(List<DiagToken> tokens) {
		this.tokens = List.copyOf(tokens);
	}

	@Override
	public Authentication authenticate(Authentication authentication) {
		String presented = String.valueOf(authentication.getCredentials());
		DiagToken match = find(presented);
		if (match == null) {
			throw new BadCredentialsException("Unknown diag token");
		}
		return UsernamePasswordAuthenticationToken.authenticated(match.name(), null, match.roles()
			.stream()
			.map((role) -> new SimpleGrantedAuthority(DiagAuthorizationManager.authority(role)))
			.toList());
	}

	private @Nullable DiagToken find(String presented) {
		byte[] digest = DiagToken.sha256Of(presented);
		DiagToken found = null;
		for (DiagToken token : this.tokens) {
			byte[] sha256 = token.sha256();
			boolean matches = (sha256 != null) ? MessageDigest.isEqual(digest, sha256)
					: this.bcrypt.matches(presented, token.bcrypt());
			if (matches && found == null) {
				found = token;
			}
		}
		return found;
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return DiagTokenAuthentication.class.isAssignableFrom(authentication);
	}

}
