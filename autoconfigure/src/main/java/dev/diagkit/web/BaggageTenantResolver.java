package dev.diagkit.web;

import dev.diagkit.propagation.LabelBaggage;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * Takes the tenant from the trace's baggage when the request does not state one itself (or,
 * when configured, even when it does): how the tenant a calling service labelled its work
 * with reaches this one. When the tenant must come from authenticated requests only, the
 * baggage is read under the same rule, since baggage is a header an anonymous client may send.
 */
public final class BaggageTenantResolver implements TenantResolver {

	private final TenantResolver delegate;

	private final LabelBaggage baggage;

	private final boolean baggageWins;

	private final boolean requiresAuthentication;

	/**
	 * Creates the resolver.
	 * @param delegate the resolver of the request's own tenant (a header, the principal)
	 * @param baggage the baggage
	 * @param baggageWins whether the baggage's tenant wins over the request's own
	 * @param requiresAuthentication whether to read the baggage only for requests with an
	 * authenticated principal
	 */
	public BaggageTenantResolver(TenantResolver delegate, LabelBaggage baggage, boolean baggageWins,
			boolean requiresAuthentication) {
		this.delegate = delegate;
		this.baggage = baggage;
		this.baggageWins = baggageWins;
		this.requiresAuthentication = requiresAuthentication;
	}

	@Override
	public @Nullable String resolveTenant(HttpServletRequest request) {
		if (this.requiresAuthentication && request.getUserPrincipal() == null) {
			return this.delegate.resolveTenant(request);
		}
		String carried = this.baggage.incoming(RequestLabeler.TENANT);
		if (this.baggageWins && carried != null) {
			return carried;
		}
		String own = this.delegate.resolveTenant(request);
		return (own != null) ? own : carried;
	}

	@Override
	public String toString() {
		return "BaggageTenantResolver[" + this.delegate + (this.baggageWins ? ", baggage wins" : "")
				+ (this.requiresAuthentication ? ", authenticated" : "") + "]";
	}

}
