package dev.diagkit.endpoint;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;
import reactor.util.context.ContextView;

import org.springframework.util.StringUtils;
import org.springframework.web.server.ServerWebExchange;

/**
 * A diag call served by Spring WebFlux: the exchange that {@link ReactiveDiagRequestFilter}
 * puts into the Reactor context of the call. Addresses are the connection's own
 * ({@link ReactiveConnections}).
 */
public final class ReactiveDiagCall implements DiagCall {

	/** The key of the call in the Reactor context. */
	static final Object KEY = ReactiveDiagCall.class;

	private final ServerWebExchange exchange;

	private volatile boolean clientLeft;

	ReactiveDiagCall(ServerWebExchange exchange) {
		this.exchange = exchange;
	}

	/**
	 * Notes that the call's subscription was cancelled, as Reactor Netty cancels it when the
	 * connection closes, before Reactor interrupts the worker answering it.
	 */
	void cancelled() {
		this.clientLeft = true;
	}

	@Override
	public boolean clientLeft() {
		return this.clientLeft;
	}

	/**
	 * Returns the call an exchange makes, for the diag security chain.
	 * @param exchange the exchange
	 * @return the call
	 */
	public static DiagCall of(ServerWebExchange exchange) {
		return new ReactiveDiagCall(exchange);
	}

	/**
	 * Returns the call of a Reactor context.
	 * @param context the context
	 * @return the call, or {@code null} when the diag filter did not run
	 */
	static @Nullable ReactiveDiagCall from(ContextView context) {
		return context.getOrDefault(KEY, null);
	}

	@Override
	public @Nullable String clientAddress() {
		return ReactiveConnections.clientAddress(this.exchange.getRequest());
	}

	@Override
	public @Nullable String localAddress() {
		return ReactiveConnections.localAddress(this.exchange.getRequest());
	}

	@Override
	public String path() {
		return StringUtils.uriDecode(rawPath(this.exchange), StandardCharsets.UTF_8);
	}

	@Override
	public URI uri() {
		return this.exchange.getRequest().getURI();
	}

	@Override
	public ClientDisconnects.Watch watch(ClientDisconnects disconnects) {
		InetSocketAddress local = ReactiveConnections.local(this.exchange.getRequest());
		InetSocketAddress remote = ReactiveConnections.client(this.exchange.getRequest());
		return disconnects.watch((local != null) ? local.getPort() : -1, NetworkAccess.hostAddress(remote),
				(remote != null) ? remote.getPort() : -1);
	}

	@Override
	public void header(String name, String value) {
		this.exchange.getResponse().getHeaders().set(name, value);
	}

	/** The path within the application, still encoded. */
	static String rawPath(ServerWebExchange exchange) {
		return exchange.getRequest().getPath().pathWithinApplication().value();
	}

}
