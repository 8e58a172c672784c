package dev.diagkit.web;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import dev.diagkit.labels.LabelSet;
import dev.diagkit.propagation.ProfilingLabelsAccessor;
import dev.diagkit.propagation.TraceTaskAccessor;

import org.springframework.core.Ordered;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

/**
 * Labels every WebFlux request with {@code method}, {@code tenant} and {@code endpoint} (the
 * route template, such as {@code GET /orders/{id}}, found by asking the handler mappings as
 * the request enters), and the static labels. The labels travel in the Reactor context under
 * {@link ProfilingLabelsAccessor#KEY}: with Reactor's automatic context propagation, code
 * running for the request on any scheduler thread runs under them, and the thread gets its
 * own labels back when the signal leaves it.
 */
public class ReactiveRequestLabelsFilter implements WebFilter, Ordered {

	/** Exchange attribute set when the request's own resolver found its tenant. */
	static final String TENANT_RESOLVED_ATTRIBUTE = ReactiveRequestLabelsFilter.class.getName() + ".tenantResolved";

	/** Early, so that security filters and everything after them run labelled. */
	public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

	private final RequestLabelSets sets;

	private final ReactiveTenantResolver tenants;

	private final Supplier<List<HandlerMapping>> mappings;

	private RequestTasks tasks = RequestTasks.NONE;

	/**
	 * Creates the filter.
	 * @param sets computes the labels
	 * @param tenants finds the tenant
	 * @param mappings the application's handler mappings, asked for each request's route
	 * (looked up on first use: they exist once the context is refreshed)
	 */
	public ReactiveRequestLabelsFilter(RequestLabelSets sets, ReactiveTenantResolver tenants,
			Supplier<List<HandlerMapping>> mappings) {
		this.sets = sets;
		this.tenants = tenants;
		this.mappings = mappings;
	}

	/**
	 * Sets what starts each request's trace task (none by default). The task's id travels in
	 * the Reactor context beside the labels, and the task ends when the response does.
	 * @param tasks starts the tasks
	 */
	public void setRequestTasks(RequestTasks tasks) {
		this.tasks = tasks;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		int method = RequestLabelSets.methodIndex(exchange.getRequest().getMethod().name());
		return this.tenants.resolveTenant(exchange)
			.map(Optional::of)
			.defaultIfEmpty(Optional.empty())
			.zipWith(route(exchange))
			.flatMap((found) -> {
				if (found.getT1().isPresent()) {
					exchange.getAttributes().put(TENANT_RESOLVED_ATTRIBUTE, Boolean.TRUE);
				}
				LabelSet labels = this.sets.entry(method, found.getT1().orElse(null))
					.with(this.sets.endpoint(method, found.getT2()));
				RequestTasks.Task task = this.tasks.start(labels, false);
				if (task.id() == 0) {
					return chain.filter(exchange).contextWrite(Context.of(ProfilingLabelsAccessor.KEY, labels));
				}
				return chain.filter(exchange)
					.contextWrite(Context.of(ProfilingLabelsAccessor.KEY, labels, TraceTaskAccessor.KEY, task.id()))
					.doFinally((signal) -> task.close());
			});
	}

	/**
	 * The route template of the handler that will serve the request, asked of the handler
	 * mappings as the dispatcher will ask them; {@link RequestLabeler#UNMATCHED} when none
	 * serves it.
	 */
	private Mono<String> route(ServerWebExchange exchange) {
		return Flux.fromIterable(this.mappings.get())
			.concatMap((mapping) -> mapping.getHandler(exchange).onErrorResume((ex) -> Mono.empty()))
			.next()
			.map((handler) -> {
				Object pattern = exchange.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
				return (pattern != null) ? pattern.toString() : RequestLabeler.UNMATCHED;
			})
			.defaultIfEmpty(RequestLabeler.UNMATCHED);
	}

}
