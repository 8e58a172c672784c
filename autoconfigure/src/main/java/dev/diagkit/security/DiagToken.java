package dev.diagkit.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * A static bearer token for diag, kept as a hash so that no token is in clear in the
 * configuration: {@code {sha256}<64 hex digits>} or {@code {bcrypt}<bcrypt hash>}.
 *
 * @param name the name the token's calls are authenticated and audited under
 * @param sha256 the SHA-256 digest of the token, or {@code null} for a bcrypt hash
 * @param bcrypt the bcrypt hash of the token, or {@code null} for a SHA-256 digest
 * @param roles the roles the token grants, such as {@code DIAG}
 */
public record DiagToken(String name, byte @Nullable [] sha256, @Nullable String bcrypt, List<String> roles) {

	private static final String SHA256 = "{sha256}";

	private static final String BCRYPT = "{bcrypt}";

	/**
	 * Creates a token from its configured form.
	 * @param name the name its calls are audited under
	 * @param hash {@code {sha256}} followed by 64 hex digits, or {@code {bcrypt}} followed by
	 * a bcrypt hash
	 * @param roles the roles it grants, at least one
	 * @return the token
	 * @throws IllegalArgumentException if the hash is missing or malformed, or no role is
	 * given; the message says what is accepted
	 */
	public static DiagToken of(String name, @Nullable String hash, List<String> roles) {
		if (hash == null || hash.isBlank()) {
			throw new IllegalArgumentException("diag token '" + name + "' has no hash; give {sha256}<hex> or "
					+ "{bcrypt}<hash>");
		}
		if (roles.isEmpty()) {
			throw new IllegalArgumentException("diag token '" + name + "' grants no role; give DIAG or DIAG_ADMIN");
		}
		if (hash.startsWith(SHA256)) {
			byte[] digest = parseHex(hash.substring(SHA256.length()).trim());
			if (digest == null || digest.length != 32) {
				throw new IllegalArgumentException("diag token '" + name + "': " + SHA256
						+ " must be followed by 64 hex digits, such as the output of 'printf %s \"$TOKEN\" | sha256sum'");
			}
			return new DiagToken(name, digest, null, List.copyOf(roles));
		}
		if (hash.startsWith(BCRYPT)) {
			return new DiagToken(name, null, hash.substring(BCRYPT.length()).trim(), List.copyOf(roles));
		}
		throw new IllegalArgumentException("diag token '" + name + "': the hash must start with " + SHA256 + " or "
				+ BCRYPT + ", was '" + hash.substring(0, Math.min(8, hash.length())) + "…'");
	}

	private static byte @Nullable [] parseHex(String hex) {
		try {
			return HexFormat.of().parseHex(hex.toLowerCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	/**
	 * Returns the SHA-256 digest of a presented token.
	 * @param token the token as presented
	 * @return its digest
	 */
	static byte[] sha256Of(String token) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
		}
	}

}
