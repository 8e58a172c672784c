package dev.diagkit.endpoint;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

import org.jspecify.annotations.Nullable;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.util.ClassUtils;

/**
 * The two ends of a WebFlux request's connection, as diag judges networks and limits by
 * them. On Reactor Netty these are the socket's own addresses: with forwarded headers on
 * ({@code server.forward-headers-strategy}), Reactor Netty takes {@code X-Forwarded-For}
 * and {@code X-Forwarded-Host} from any client, so the exchange's addresses would let a
 * remote client pass for loopback or for an allowed network. Other servers give the
 * exchange's addresses.
 */
final class ReactiveConnections {

	private static final boolean NETTY_PRESENT = ClassUtils.isPresent(
			"reactor.netty.http.server.ConnectionInformation", ReactiveConnections.class.getClassLoader());

	private ReactiveConnections() {
	}

	/**
	 * Returns the client's end of a request's connection.
	 * @param request the request
	 * @return the client's socket address, or {@code null} when unknown
	 */
	static @Nullable InetSocketAddress client(ServerHttpRequest request) {
		InetSocketAddress socket = NETTY_PRESENT ? NettyConnections.client(request) : null;
		return (socket != null) ? socket : request.getRemoteAddress();
	}

	/**
	 * Returns the server's end of a request's connection.
	 * @param request the request
	 * @return the server's socket address, or {@code null} when unknown
	 */
	static @Nullable InetSocketAddress local(ServerHttpRequest request) {
		InetSocketAddress socket = NETTY_PRESENT ? NettyConnections.local(request) : null;
		return (socket != null) ? socket : request.getLocalAddress();
	}

	/**
	 * Returns the client's host address, as a servlet's {@code getRemoteAddr()} gives it.
	 * @param request the request
	 * @return the address, or {@code null} when unknown
	 */
	static @Nullable String clientAddress(ServerHttpRequest request) {
		return NetworkAccess.hostAddress(client(request));
	}

	/**
	 * Returns the server's host address the client connected to.
	 * @param request the request
	 * @return the address, or {@code null} when unknown
	 */
	static @Nullable String localAddress(ServerHttpRequest request) {
		return NetworkAccess.hostAddress(local(request));
	}

	/** Kept apart so that Reactor Netty is needed only when it is there. */
	private static final class NettyConnections {

		static @Nullable InetSocketAddress client(ServerHttpRequest request) {
			return (connection(request) instanceof reactor.netty.http.server.ConnectionInformation info)
					? inet(info.connectionRemoteAddress()) : null;
		}

		static @Nullable InetSocketAddress local(ServerHttpRequest request) {
			return (connection(request) instanceof reactor.netty.http.server.ConnectionInformation info)
					? inet(info.connectionHostAddress()) : null;
		}

		private static Object connection(ServerHttpRequest request) {
			return ServerHttpRequestDecorator.getNativeRequest(request);
		}

		private static @Nullable InetSocketAddress inet(@Nullable SocketAddress address) {
			return (address instanceof InetSocketAddress inet) ? inet : null;
		}

	}

}
