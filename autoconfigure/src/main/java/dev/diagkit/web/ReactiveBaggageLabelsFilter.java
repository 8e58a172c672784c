package dev.diagkit.web;

import java.security.Principal;

import dev.diagkit.labels.LabelSet;
import dev.diagkit.propagation.LabelBaggage;
import dev.diagkit.propagation.ProfilingLabelsAccessor;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.util.ClassUtils;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Labels across services for WebFlux requests, after Spring Security has run: an
 * authenticated request takes the labels its trace's baggage brings
 * ({@link RequestLabelSets#fromBaggage}), and every labelled request attaches its carried
 * labels to its server span as baggage, so that the calls it makes through Spring Boot's
 * instrumented {@code WebClient} carry them from whichever thread they leave. The request's
 * observation, which WebFlux keeps in the Reactor context, is made current only while the
 * baggage is read and written.
 */
public class ReactiveBaggageLabelsFilter implements WebFilter, Ordered {

	/** After Spring Security's {@code WebFilterChainProxy} (order -100). */
	public static final int ORDER = 0;

	private static final boolean SECURITY_PRESENT = ClassUtils
		.isPresent("org.springframework.security.core.Authentication", ReactiveBaggageLabelsFilter.class.getClassLoader());

	private static final ContextSnapshotFactory snapshots = ContextSnapshotFactory.builder().build();

	private final RequestLabelSets sets;

	private final LabelBaggage baggage;

	/**
	 * Creates the filter.
	 * @param sets decides what a request takes from baggage
	 * @param baggage the labels that cross services as baggage
	 */
	public ReactiveBaggageLabelsFilter(RequestLabelSets sets, LabelBaggage baggage) {
		this.sets = sets;
		this.baggage = baggage;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		return exchange.getPrincipal()
			.map(ReactiveBaggageLabelsFilter::authenticated)
			.defaultIfEmpty(false)
			.flatMap((authenticated) -> Mono.deferContextual((context) -> {
				LabelSet labels = context.getOrDefault(ProfilingLabelsAccessor.KEY, null);
				if (labels == null) {
					return chain.filter(exchange);
				}
				LabelSet effective = labels;
				try (ContextSnapshot.Scope scope = snapshots.setThreadLocalsFrom(context,
						ObservationThreadLocalAccessor.KEY)) {
					if (authenticated) {
						effective = labels.with(this.sets.fromBaggage(labels,
								exchange.getAttribute(ReactiveRequestLabelsFilter.TENANT_RESOLVED_ATTRIBUTE) != null,
								this.baggage));
					}
					this.baggage.attach(effective);
				}
				if (effective.equals(labels)) {
					return chain.filter(exchange);
				}
				LabelSet adopted = effective;
				return chain.filter(exchange)
					.contextWrite((inner) -> inner.put(ProfilingLabelsAccessor.KEY, adopted));
			}));
	}

	/** Baggage is a header any client may send: only an authenticated caller's is taken. */
	private static boolean authenticated(Principal principal) {
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
