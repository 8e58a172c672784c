package dev.diagkit.web;

import java.security.Principal;

import org.springframework.util.ClassUtils;

/**
 * Tells an authenticated WebFlux caller from an anonymous one: Spring Security may stand an
 * anonymous token in for the principal.
 */
final class ReactivePrincipals {

	private static final boolean SECURITY_PRESENT = ClassUtils
		.isPresent("org.springframework.security.core.Authentication", ReactivePrincipals.class.getClassLoader());

	private ReactivePrincipals() {
	}

	/**
	 * Returns whether a principal is an authenticated caller.
	 * @param principal the exchange's principal
	 * @return whether it is authenticated and not anonymous
	 */
	static boolean authenticated(Principal principal) {
		return !SECURITY_PRESENT || SecurityPrincipals.authenticated(principal);
	}

	/** Kept apart so that Spring Security is needed only when it is there. */
	private static final class SecurityPrincipals {

		static boolean authenticated(Principal principal) {
			if (principal instanceof org.springframework.security.core.Authentication authentication) {
				return authentication.isAuthenticated()
						&& !(authentication instanceof org.springframework.security.authentication.AnonymousAuthenticationToken);
			}
			return true;
		}

	}

}
