package dev.diagkit.autoconfigure;

import java.io.IOException;

import dev.diagkit.endpoint.NetworkAccess;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses diag calls from addresses outside the allowed networks with {@code 403}, before
 * any authentication.
 */
final class AllowedNetworksFilter extends OncePerRequestFilter {

	private final NetworkAccess access;

	AllowedNetworksFilter(NetworkAccess access) {
		this.access = access;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!this.access.allows(request.getRemoteAddr())) {
			DiagErrorResponses.write(response, HttpServletResponse.SC_FORBIDDEN, "Diag is not open to "
					+ request.getRemoteAddr() + " (diagkit.security.allowed-networks)");
			return;
		}
		chain.doFilter(request, response);
	}

}
