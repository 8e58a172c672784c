package dev.diagkit.autoconfigure;

import java.util.function.Supplier;

import dev.diagkit.endpoint.DiagSection;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

/**
 * Decides who may call which diag section: reads need the read role (or the admin role);
 * mutations and captures ({@code POST}, {@code trace}) need the admin role. The section is
 * the path segment after the endpoint's root path.
 */
final class DiagAuthorizationManager implements AuthorizationManager<RequestAuthorizationContext> {

	private final String readAuthority;

	private final String adminAuthority;

	DiagAuthorizationManager(String readRole, String adminRole) {
		this.readAuthority = authority(readRole);
		this.adminAuthority = authority(adminRole);
	}

	private static String authority(String role) {
		return role.startsWith("ROLE_") ? role : "ROLE_" + role;
	}

	@Override
	public @Nullable AuthorizationResult authorize(Supplier<? extends @Nullable Authentication> authentication,
			RequestAuthorizationContext context) {
		Authentication auth = authentication.get();
		if (auth == null || !auth.isAuthenticated()
				|| auth instanceof org.springframework.security.authentication.AnonymousAuthenticationToken) {
			return new AuthorizationDecision(false);
		}
		boolean admin = needsAdmin(context.getRequest());
		boolean granted = auth.getAuthorities().stream().map(GrantedAuthority::getAuthority).anyMatch(
				(a) -> a.equals(this.adminAuthority) || (!admin && a.equals(this.readAuthority)));
		if (!granted) {
			throw new AccessDeniedException((admin ? "This diag operation needs the role "
					+ this.adminAuthority.substring(5) : "Diag needs the role " + this.readAuthority.substring(5)
					+ " or " + this.adminAuthority.substring(5)) + "; '" + auth.getName() + "' has neither");
		}
		return new AuthorizationDecision(true);
	}

	private static boolean needsAdmin(HttpServletRequest request) {
		String path = request.getRequestURI();
		int slash = path.lastIndexOf('/');
		String last = path.substring(slash + 1);
		String method = request.getMethod();
		return DiagSection.of(last).map((section) -> section.needsAdmin(method)).orElse(!"GET".equalsIgnoreCase(method));
	}

}
