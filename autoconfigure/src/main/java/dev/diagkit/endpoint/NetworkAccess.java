package dev.diagkit.endpoint;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;

import dev.diagkit.runtime.IpLiterals;
import org.jspecify.annotations.Nullable;

/**
 * Which clients may call {@code /actuator/diag}: loopback always (a connection whose two
 * ends are loopback addresses), and, when networks are configured, addresses in one of them
 * (CIDR such as {@code 10.0.0.0/8} or {@code fd00::/8}); with no networks configured, any
 * address, unless the policy is loopback-only.
 */
public final class NetworkAccess {

	private final List<Range> ranges;

	private final boolean loopbackOnly;

	private NetworkAccess(List<Range> ranges, boolean loopbackOnly) {
		this.ranges = ranges;
		this.loopbackOnly = loopbackOnly;
	}

	/**
	 * Returns a policy.
	 * @param cidrs the allowed networks, empty for all
	 * @param loopbackOnly whether only loopback clients may call when no network is listed
	 * @return the policy
	 * @throws IllegalArgumentException if a network is not valid CIDR
	 */
	public static NetworkAccess of(List<String> cidrs, boolean loopbackOnly) {
		return new NetworkAccess(cidrs.stream().map(Range::parse).toList(), loopbackOnly);
	}

	/**
	 * Returns whether a client may call. A client counts as loopback only when both ends of
	 * its connection are loopback addresses: a remote client that claims a loopback address
	 * through a forwarded header still arrives on another interface.
	 * @param remoteAddress the client's IP address as the server sees it
	 * @param localAddress the server's address the connection arrived on
	 * @return whether it is allowed
	 */
	public boolean allows(String remoteAddress, String localAddress) {
		InetAddress client;
		try {
			client = literal(remoteAddress);
		}
		catch (UnknownHostException | IllegalArgumentException ex) {
			return false;
		}
		if (client.isLoopbackAddress() && isLoopback(localAddress)) {
			return true;
		}
		if (this.ranges.isEmpty()) {
			return !this.loopbackOnly;
		}
		return this.ranges.stream().anyMatch((range) -> range.contains(client));
	}

	private static boolean isLoopback(String address) {
		try {
			return literal(address).isLoopbackAddress();
		}
		catch (UnknownHostException | IllegalArgumentException ex) {
			return false;
		}
	}

	/**
	 * Returns whether every address is allowed.
	 * @return whether the policy lets everyone through
	 */
	public boolean allowsAll() {
		return this.ranges.isEmpty() && !this.loopbackOnly;
	}

	/**
	 * Returns the host address of a socket address, as a servlet's
	 * {@code getRemoteAddr()} gives it.
	 * @param address the socket address, or {@code null}
	 * @return its host address, or {@code null} when unknown or unresolved
	 */
	public static @Nullable String hostAddress(@Nullable InetSocketAddress address) {
		return (address != null && address.getAddress() != null) ? address.getAddress().getHostAddress() : null;
	}

	/**
	 * Says why a client outside the allowed networks is refused, and what lets it in.
	 * @param client the client's address
	 * @return the message
	 */
	public static String refusal(@Nullable String client) {
		return "Diag is open only to the networks in diagkit.security.allowed-networks, and " + client
				+ " is in none of them; add its network (such as 10.0.0.0/8) to that list to let it in";
	}

	/**
	 * Returns whether only loopback clients may call.
	 * @return whether the policy is loopback-only
	 */
	public boolean loopbackOnly() {
		return this.loopbackOnly && this.ranges.isEmpty();
	}

	/**
	 * Returns the key under which a client address is rate-limited: the address itself, or
	 * for IPv6 its {@code /64} network, since one host usually holds a whole {@code /64} and
	 * could otherwise call from as many addresses as it likes.
	 * @param address the client's address
	 * @return the key, such as {@code 192.0.2.7} or {@code 2001:db8:0:1::/64}
	 */
	public static String clientKey(String address) {
		if (address.indexOf(':') < 0) {
			return address;
		}
		try {
			byte[] bytes = literal(address).getAddress();
			if (bytes.length != 16) {
				return address;
			}
			StringBuilder key = new StringBuilder(24);
			for (int i = 0; i < 8; i += 2) {
				key.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
			}
			return key.append(":/64").toString();
		}
		catch (UnknownHostException | IllegalArgumentException ex) {
			return address;
		}
	}

	private static InetAddress literal(String address) throws UnknownHostException {
		InetAddress literal = IpLiterals.parse(address);
		if (literal == null) {
			throw new IllegalArgumentException("not an IP address: " + address);
		}
		return literal;
	}

	private record Range(byte[] network, int prefix) {

		static Range parse(String cidr) {
			String[] parts = cidr.trim().split("/", 2);
			try {
				InetAddress address = literal(parts[0]);
				int max = address.getAddress().length * 8;
				int prefix = (parts.length == 2) ? Integer.parseInt(parts[1]) : max;
				if (prefix < 0 || prefix > max) {
					throw new IllegalArgumentException();
				}
				return new Range(address.getAddress(), prefix);
			}
			catch (UnknownHostException | IllegalArgumentException ex) {
				throw new IllegalArgumentException("'" + cidr + "' is not a network in CIDR notation such as "
						+ "10.0.0.0/8 or fd00::/8 (diagkit.security.allowed-networks)");
			}
		}

		boolean contains(InetAddress address) {
			byte[] bytes = address.getAddress();
			if (bytes.length != this.network.length) {
				return false;
			}
			int full = this.prefix / 8;
			for (int i = 0; i < full; i++) {
				if (bytes[i] != this.network[i]) {
					return false;
				}
			}
			int rest = this.prefix % 8;
			if (rest == 0) {
				return true;
			}
			int mask = (0xFF << (8 - rest)) & 0xFF;
			return (bytes[full] & mask) == (this.network[full] & mask);
		}

	}

}
