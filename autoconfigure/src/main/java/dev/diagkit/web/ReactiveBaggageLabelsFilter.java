package dev.diagkit.web;

import dev.diagkit.labels.LabelSet;
import dev.diagkit.propagation.LabelBaggage;
import dev.diagkit.propagation.ProfilingLabelsAccessor;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
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

	/**
	 * After Spring Security's {@code WebFilterChainProxy} (order -100), and after
	 * {@link ReactiveAuthenticatedTenantFilter}, so that a tenant found there counts as the
	 * request's own.
	 */
	public static final int ORDER = ReactiveAuthenticatedTenantFilter.ORDER + 10;

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
			// baggage is a header any client may send: only an authenticated caller's is taken
			.map(ReactivePrincipals::authenticated)
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

}
