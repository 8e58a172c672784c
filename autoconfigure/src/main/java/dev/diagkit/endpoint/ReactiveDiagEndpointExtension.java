package dev.diagkit.endpoint;

import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * {@link DiagEndpoint}'s operations on Spring WebFlux. Each answers from a worker of
 * Reactor's bounded elastic scheduler, as Actuator runs blocking operations there, but
 * within the call's Reactor context: there {@link ReactiveDiagRequestFilter} left the
 * exchange, through which the endpoint learns the client's address, watches its connection
 * during a capture and sets headers such as {@code Retry-After} and
 * {@code Content-Disposition}, which Actuator's neutral response cannot carry.
 */
@EndpointWebExtension(endpoint = DiagEndpoint.class)
public class ReactiveDiagEndpointExtension {

	private static final String JSON = MediaType.APPLICATION_JSON_VALUE;

	private static final String TEXT = MediaType.TEXT_PLAIN_VALUE;

	private static final String OCTETS = MediaType.APPLICATION_OCTET_STREAM_VALUE;

	private static final String HTML = MediaType.TEXT_HTML_VALUE;

	private final DiagEndpoint endpoint;

	/**
	 * Creates the extension.
	 * @param endpoint the endpoint whose calls it answers
	 */
	public ReactiveDiagEndpointExtension(DiagEndpoint endpoint) {
		this.endpoint = endpoint;
	}

	/**
	 * Lists the sections, as {@link DiagEndpoint#index} does.
	 * @param securityContext the caller
	 * @return the index
	 */
	@ReadOperation(produces = { JSON, TEXT })
	public Mono<WebEndpointResponse<?>> index(SecurityContext securityContext) {
		return answer((call) -> this.endpoint.index(securityContext, call));
	}

	/**
	 * Answers {@code GET /actuator/diag/{section}}, as {@link DiagEndpoint#read} does.
	 * @param section the section
	 * @param format how to answer
	 * @param group for {@code stacks}: whether to group identical stacks
	 * @param seconds for {@code trace}: how long to record
	 * @param settings for {@code trace}: the JFR settings to start from
	 * @param type for {@code profile}: cpu, alloc or lock
	 * @param focus for {@code profile}: the labels samples must carry
	 * @param thread for {@code profile}: whether to label samples with their thread
	 * @param idle for a {@code lock} profile: whether to keep the waits of idle pool workers
	 * @param methods for {@code trace}: the methods to time (Java 25)
	 * @param securityContext the caller
	 * @return the answer
	 */
	@ReadOperation(produces = { JSON, TEXT, OCTETS, HTML })
	public Mono<WebEndpointResponse<?>> read(@Selector String section, @Nullable String format,
			@Nullable String group, @Nullable String seconds, @Nullable String settings, @Nullable String type,
			@Nullable String focus, @Nullable String thread, @Nullable String idle, @Nullable String methods,
			SecurityContext securityContext) {
		return answer((call) -> this.endpoint.call(section, "GET",
				DiagEndpoint.parameters("format", format, "group", group, "seconds", seconds, "settings", settings,
						"type", type, "focus", focus, "thread", thread, "idle", idle, "methods", methods),
				securityContext, call));
	}

	/**
	 * Answers {@code GET /actuator/diag/{section}/{name}}, as {@link DiagEndpoint#readNamed}
	 * does.
	 * @param section the section
	 * @param name the name within it, such as the profile type
	 * @param format how to answer
	 * @param from the start of the range
	 * @param to the end of the range
	 * @param focus the labels samples must carry
	 * @param compare how far back the range to compare with lies
	 * @param securityContext the caller
	 * @return the answer
	 */
	@ReadOperation(produces = { JSON, TEXT, OCTETS, HTML })
	public Mono<WebEndpointResponse<?>> readNamed(@Selector String section, @Selector String name,
			@Nullable String format, @Nullable String from, @Nullable String to, @Nullable String focus,
			@Nullable String compare, SecurityContext securityContext) {
		return answer((call) -> this.endpoint.call(section + "/" + name, "GET", DiagEndpoint.parameters("format",
				format, "from", from, "to", to, "focus", focus, "compare", compare), securityContext, call));
	}

	/**
	 * Answers {@code POST /actuator/diag/{section}}, as {@link DiagEndpoint#write} does.
	 * @param section the section
	 * @param cpuInterval for {@code settings}: the CPU sampling interval
	 * @param allocationSamplesPerSecond for {@code settings}: allocation samples per second
	 * @param lockThreshold for {@code settings}: the shortest lock wait recorded
	 * @param ttl for {@code settings}: how long the change stays in force
	 * @param reset for {@code settings}: {@code true} to put the defaults back now
	 * @param action for {@code memory}: {@code pause} or {@code resume}
	 * @param base for {@code memory}: the heap target without pressure
	 * @param securityContext the caller
	 * @return the answer
	 */
	@WriteOperation(produces = { JSON })
	public Mono<WebEndpointResponse<?>> write(@Selector String section, @Nullable String cpuInterval,
			@Nullable String allocationSamplesPerSecond, @Nullable String lockThreshold, @Nullable String ttl,
			@Nullable String reset, @Nullable String action, @Nullable String base, SecurityContext securityContext) {
		return answer((call) -> this.endpoint.call(section, "POST",
				DiagEndpoint.parameters("cpuInterval", cpuInterval, "allocationSamplesPerSecond",
						allocationSamplesPerSecond, "lockThreshold", lockThreshold, "ttl", ttl, "reset", reset,
						"action", action, "base", base),
				securityContext, call));
	}

	/**
	 * Answers on a bounded elastic worker; fails closed when the exchange is unknown, since
	 * without the client's address diag cannot tell whether its network may call.
	 */
	private static Mono<WebEndpointResponse<?>> answer(Function<DiagCall, ResponseEntity<?>> answer) {
		return Mono.deferContextual((context) -> {
			ReactiveDiagCall call = ReactiveDiagCall.from(context);
			if (call == null) {
				return Mono.just(DiagEndpoint.respond(DiagResponses.error(HttpStatus.FORBIDDEN,
						"Diag cannot tell who calls: its WebFlux filter (ReactiveDiagRequestFilter) did not run "
								+ "for this request"),
						null));
			}
			return Mono.fromCallable(() -> DiagEndpoint.respond(answer.apply(call), call))
				.subscribeOn(Schedulers.boundedElastic())
				.doOnCancel(call::cancelled);
		});
	}

}
