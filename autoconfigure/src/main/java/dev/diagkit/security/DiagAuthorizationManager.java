package dev.diagkit.security;

import java.util.function.Supplier;

import dev.diagkit.endpoint.DiagSection;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.web.util.UrlPathHelper;

/**
 * Decides who may call which diag section: reads need the read role (or the admin role);
 * mutations and captures ({@code POST}, {@code trace}) need the admin role. The section is
 * the path segment after the endpoint's root path.
 */
public final class DiagAuthorizationManager implements AuthorizationManager<RequestAuthorizationContext> {

	private final String readAuthority;

	private final String adminAuthority;

	private final Supplier<@Nullable String> rootPath;

	/**
	 * Creates the manager.
	 * @param readRole the role reads need
	 * @param adminRole the role mutations and captures need; it grants reads too
	 * @param rootPath the endpoint's path within the application, such as
	 * {@code /actuator/diag}, or {@code null} while it is unknown (every non-read then needs
	 * the admin role)
	 */
	public DiagAuthorizationManager(String readRole, String adminRole, Supplier<@Nullable String> rootPath) {
		this.readAuthority = authority(readRole);
		this.adminAuthority = authority(adminRole);
		this.rootPath = rootPath;
	}

	/** The authority of a role, as Spring Security's {@code hasRole} checks it. */
	static String authority(String role) {
		return role.startsWith("ROLE_") ? role : "ROLE_" + role;
	}

	@Override
	public @Nullable AuthorizationResult authorize(Supplier<? extends @Nullable Authentication> authentication,
			RequestAuthorizationContext context) {
		HttpServletRequest request = context.getRequest();
		return decide(authentication.get(), request.getMethod(),
				UrlPathHelper.defaultInstance.getPathWithinApplication(request));
	}

	/**
	 * Decides on a call, whichever web stack serves it.
	 * @param auth the caller's authentication, or {@code null}
	 * @param method the request's method
	 * @param path the request's decoded path within the application
	 * @return the decision
	 * @throws AccessDeniedException naming the role the caller lacks
	 */
	AuthorizationDecision decide(@Nullable Authentication auth, String method, String path) {
		if (auth == null || !auth.isAuthenticated()
				|| auth instanceof AnonymousAuthenticationToken) {
			return new AuthorizationDecision(false);
		}
		boolean admin = needsAdmin(method, path);
		boolean granted = auth.getAuthorities().stream().map(GrantedAuthority::getAuthority).anyMatch(
				(a) -> a.equals(this.adminAuthority) || (!admin && a.equals(this.readAuthority)));
		if (!granted) {
			throw new AccessDeniedException(admin
					? "This diag operation needs the role " + this.adminAuthority.substring(5) + ", which '"
							+ auth.getName() + "' does not have"
					: "Diag needs the role " + this.readAuthority.substring(5) + " or "
							+ this.adminAuthority.substring(5) + ", and '" + auth.getName() + "' has neither");
		}
		return new AuthorizationDecision(true);
	}

	/**
	 * Decides on the decoded path, as Spring MVC will dispatch it, and fails closed: only
	 * the index and the known sections read with a read method need no more than the read
	 * role.
	 */
	private boolean needsAdmin(String method, String path) {
		String root = this.rootPath.get();
		if (root == null) {
			return !DiagSection.isRead(method);
		}
		if (path.equals(root) || path.equals(root + "/")) {
			return !DiagSection.isRead(method);
		}
		if (!path.startsWith(root + "/")) {
			return true;
		}
		String section = path.substring(root.length() + 1);
		if (section.endsWith("/")) {
			section = section.substring(0, section.length() - 1);
		}
		return DiagSection.of(section).map((known) -> known.needsAdmin(method)).orElse(true);
	}

}
