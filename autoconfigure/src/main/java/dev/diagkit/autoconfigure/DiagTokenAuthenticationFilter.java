package dev.diagkit.autoconfigure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates diag calls that carry {@code Authorization: Bearer <token>} against static
 * tokens configured as hashes ({@code {sha256}<hex>} or {@code {bcrypt}<hash>}), so that no
 * token is kept in clear in the configuration. Every configured token is compared, in
 * constant time for SHA-256, so the time taken does not tell which one nearly matched. A
 * bearer token that matches none is refused with {@code 401}.
 */
final class DiagTokenAuthenticationFilter extends OncePerRequestFilter {

	private static final String BEARER = "bearer ";

	private final List<Token> tokens;

	private final DiagErrorResponses responses;

	private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

	private final BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder();

	DiagTokenAuthenticationFilter(List<DiagkitProperties.Token> tokens, DiagErrorResponses responses) {
		this.tokens = tokens.stream().map(Token::of).toList();
		this.responses = responses;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String header = request.getHeader("Authorization");
		if (header == null || !header.toLowerCase(Locale.ROOT).startsWith(BEARER)) {
			chain.doFilter(request, response);
			return;
		}
		Token match = find(header.substring(BEARER.length()).trim());
		if (match == null) {
			this.responses.commence(request, response, new BadCredentialsException("Unknown diag token"));
			return;
		}
		SecurityContext context = this.contexts.createEmptyContext();
		context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(match.name(), null,
				match.roles().stream().map((role) -> new SimpleGrantedAuthority(
						role.startsWith("ROLE_") ? role : "ROLE_" + role)).toList()));
		this.contexts.setContext(context);
		chain.doFilter(request, response);
	}

	private @Nullable Token find(String presented) {
		byte[] digest = sha256(presented);
		Token found = null;
		for (Token token : this.tokens) {
			boolean matches = (token.sha256() != null) ? MessageDigest.isEqual(digest, token.sha256())
					: this.bcrypt.matches(presented, token.bcrypt());
			if (matches && found == null) {
				found = token;
			}
		}
		return found;
	}

	static byte[] sha256(String text) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
		}
	}

	private record Token(String name, byte @Nullable [] sha256, @Nullable String bcrypt, List<String> roles) {

		static Token of(DiagkitProperties.Token token) {
			String hash = token.getHash();
			String name = token.getName();
			if (hash == null || hash.isBlank()) {
				throw new IllegalArgumentException("diag token '" + name + "' has no hash; give {sha256}<hex> or "
						+ "{bcrypt}<hash> (diagkit.security.tokens[].hash)");
			}
			if (token.getRoles().isEmpty()) {
				throw new IllegalArgumentException("diag token '" + name + "' has no roles (diagkit.security.tokens[].roles)");
			}
			if (hash.startsWith("{sha256}")) {
				String hex = hash.substring("{sha256}".length()).trim();
				try {
					byte[] bytes = HexFormat.of().parseHex(hex.toLowerCase(Locale.ROOT));
					if (bytes.length != 32) {
						throw new IllegalArgumentException();
					}
					return new Token(name, bytes, null, token.getRoles());
				}
				catch (IllegalArgumentException ex) {
					throw new IllegalArgumentException("diag token '" + name
							+ "': {sha256} must be followed by 64 hex digits, such as the output of "
							+ "'printf %s \"$TOKEN\" | sha256sum'");
				}
			}
			if (hash.startsWith("{bcrypt}")) {
				return new Token(name, null, hash.substring("{bcrypt}".length()).trim(), token.getRoles());
			}
			throw new IllegalArgumentException("diag token '" + name + "': the hash must start with {sha256} or "
					+ "{bcrypt}, was '" + hash.substring(0, Math.min(8, hash.length())) + "…'");
		}

	}

}
