package dev.diagkit.security;

import java.io.IOException;

import dev.diagkit.endpoint.ClientRateLimiter;
import dev.diagkit.endpoint.DiagResponses;
import dev.diagkit.endpoint.NetworkAccess;
import dev.diagkit.endpoint.TooManyRequestsException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Before any authentication: refuses diag calls from addresses outside the allowed networks
 * with {@code 403}, and refuses calls from an address whose failed authentications ({@code 401})
 * used up its rate ({@code 429}), so that password and token guessing is rate-limited.
 */
public final class AllowedNetworksFilter extends OncePerRequestFilter {

	private final NetworkAccess access;

	private final ClientRateLimiter failedAuthentications;

	/**
	 * Creates the filter.
	 * @param access the networks diag is open to
	 * @param failedAuthentications the rate of failed authentications allowed per address
	 */
	public AllowedNetworksFilter(NetworkAccess access, ClientRateLimiter failedAuthentications) {
		this.access = access;
		this.failedAuthentications = failedAuthentications;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!this.access.allows(request.getRemoteAddr(), request.getLocalAddr())) {
			DiagResponses.write(response, HttpServletResponse.SC_FORBIDDEN,
					NetworkAccess.refusal(request.getRemoteAddr()));
			return;
		}
		String client = request.getRemoteAddr();
		try {
			this.failedAuthentications.checkAddress(client);
		}
		catch (TooManyRequestsException ex) {
			response.setHeader("Retry-After", Long.toString(ex.retryAfterSeconds()));
			DiagResponses.write(response, 429, "Too many failed authentications from "
					+ request.getRemoteAddr() + "; try again in " + ex.retryAfterSeconds() + "s");
			return;
		}
		chain.doFilter(request, response);
		if (response.getStatus() == HttpServletResponse.SC_UNAUTHORIZED) {
			this.failedAuthentications.chargeAddress(client);
		}
	}

}
