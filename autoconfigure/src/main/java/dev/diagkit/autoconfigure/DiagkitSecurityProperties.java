package dev.diagkit.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import dev.diagkit.endpoint.NetworkAccess;
import dev.diagkit.security.DiagToken;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Configuration properties of who may call {@code /actuator/diag}, under
 * {@code diagkit.security}.
 */
@ConfigurationProperties("diagkit.security")
public class DiagkitSecurityProperties implements Validator {

	/**
	 * Role needed to read diag sections.
	 */
	private String readRole = "DIAG";

	/**
	 * Role needed for mutations and captures (gc, settings changes, traces); it also
	 * grants reads.
	 */
	private String adminRole = "DIAG_ADMIN";

	/**
	 * Static bearer tokens, stored as hashes.
	 */
	private List<Token> tokens = new ArrayList<>();

	/**
	 * Networks (CIDR, such as 10.0.0.0/8) allowed to call diag; empty allows every
	 * network. Loopback is always allowed.
	 */
	private List<String> allowedNetworks = new ArrayList<>();

	/**
	 * Whether diag answers clients other than loopback when Spring Security is not on
	 * the class path, that is without any authentication.
	 */
	private boolean allowUnauthenticatedRemote;

	public String getReadRole() {
		return this.readRole;
	}

	public void setReadRole(String readRole) {
		this.readRole = readRole;
	}

	public String getAdminRole() {
		return this.adminRole;
	}

	public void setAdminRole(String adminRole) {
		this.adminRole = adminRole;
	}

	public List<Token> getTokens() {
		return this.tokens;
	}

	public void setTokens(List<Token> tokens) {
		this.tokens = tokens;
	}

	public List<String> getAllowedNetworks() {
		return this.allowedNetworks;
	}

	public void setAllowedNetworks(List<String> allowedNetworks) {
		this.allowedNetworks = allowedNetworks;
	}

	public boolean isAllowUnauthenticatedRemote() {
		return this.allowUnauthenticatedRemote;
	}

	public void setAllowUnauthenticatedRemote(boolean allowUnauthenticatedRemote) {
		this.allowUnauthenticatedRemote = allowUnauthenticatedRemote;
	}

	List<DiagToken> diagTokens() {
		return this.tokens.stream().map(Token::toDiagToken).toList();
	}

	@Override
	public boolean supports(Class<?> type) {
		return DiagkitSecurityProperties.class.isAssignableFrom(type);
	}

	@Override
	public void validate(Object target, Errors errors) {
		DiagkitSecurityProperties properties = (DiagkitSecurityProperties) target;
		PropertyChecks checks = new PropertyChecks(errors);
		checks.hasText("readRole", properties.getReadRole());
		checks.hasText("adminRole", properties.getAdminRole());
		checks.parses("allowedNetworks", properties.getAllowedNetworks(), (networks) -> NetworkAccess.of(networks, false));
		List<Token> tokens = properties.getTokens();
		for (int i = 0; i < tokens.size(); i++) {
			Token token = tokens.get(i);
			if (token.getRoles().isEmpty()) {
				checks.reject("tokens[" + i + "].roles", "must name at least one role, such as DIAG or DIAG_ADMIN");
			}
			else {
				checks.parses("tokens[" + i + "].hash", token, Token::toDiagToken);
			}
		}
	}

	/**
	 * A static bearer token for diag.
	 */
	public static class Token {

		/**
		 * Name the token's calls are audited under.
		 */
		private String name = "token";

		/**
		 * Hash of the token: {sha256} followed by 64 hex digits, or {bcrypt} followed by a
		 * bcrypt hash.
		 */
		private @Nullable String hash;

		/**
		 * Roles the token grants, such as DIAG or DIAG_ADMIN.
		 */
		private List<String> roles = new ArrayList<>();

		public String getName() {
			return this.name;
		}

		public void setName(String name) {
			this.name = name;
		}

		public @Nullable String getHash() {
			return this.hash;
		}

		public void setHash(@Nullable String hash) {
			this.hash = hash;
		}

		public List<String> getRoles() {
			return this.roles;
		}

		public void setRoles(List<String> roles) {
			this.roles = roles;
		}

		DiagToken toDiagToken() {
			return DiagToken.of(this.name, this.hash, this.roles);
		}

	}

}
