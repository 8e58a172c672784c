package dev.diagkit.profiling;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Hashes for the Content-Security-Policy of diagkit's self-contained pages, which allow
 * only their own inline script and style, named by hash.
 */
public final class ContentSecurityPolicy {

	private ContentSecurityPolicy() {
	}

	/**
	 * Returns the CSP source expression of an inline script or style.
	 * @param source the script's or style's text, exactly as the page holds it
	 * @return {@code sha256-<base64>}
	 */
	public static String hash(String source) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(source.getBytes(StandardCharsets.UTF_8));
			return "sha256-" + Base64.getEncoder().encodeToString(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256, which every JDK provides, is not available", ex);
		}
	}

}
