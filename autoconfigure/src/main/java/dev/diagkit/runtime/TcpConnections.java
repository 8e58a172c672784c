package dev.diagkit.runtime;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * The state of this process's TCP connections, from {@code /proc/self/net/tcp} and
 * {@code tcp6} (Linux): enough to tell that a client closed its end of a connection on which
 * the server has not written yet, which no servlet API can tell without writing.
 */
public final class TcpConnections {

	/** The kernel's code for a connection whose peer has closed its end (FIN received). */
	public static final int CLOSE_WAIT = 0x08;

	private static final List<Path> TABLES = List.of(Path.of("/proc/self/net/tcp"), Path.of("/proc/self/net/tcp6"));

	private TcpConnections() {
	}

	/**
	 * Returns whether this process can see its connection table.
	 * @return whether {@link #state} can answer
	 */
	public static boolean available() {
		return KernelFiles.read(TABLES.get(0)) != null;
	}

	/**
	 * Returns the state of the connection between a local port and a client, as the kernel
	 * codes it ({@code 01} established, {@link #CLOSE_WAIT}…).
	 * @param localPort the server's port
	 * @param remoteAddress the client's address, an IP literal
	 * @param remotePort the client's port
	 * @return the state, or {@code null} when no such connection is listed (or the address
	 * is not an IP literal)
	 */
	public static @Nullable Integer state(int localPort, String remoteAddress, int remotePort) {
		List<String> remotes = kernelAddresses(remoteAddress);
		if (remotes.isEmpty()) {
			return null;
		}
		String local = String.format(Locale.ROOT, ":%04X", localPort);
		String port = String.format(Locale.ROOT, ":%04X", remotePort);
		for (Path table : TABLES) {
			String text = KernelFiles.read(table);
			if (text == null) {
				continue;
			}
			for (String remote : remotes) {
				Integer state = find(text, local, remote + port);
				if (state != null) {
					return state;
				}
			}
		}
		return null;
	}

	/**
	 * The ways the kernel's tables write an address: 32-bit words in host (little-endian)
	 * order, and an IPv4 address also as IPv4-mapped IPv6, as a dual-stack socket sees it.
	 */
	static List<String> kernelAddresses(String address) {
		InetAddress literal = IpLiterals.parse(address);
		if (literal == null) {
			return List.of();
		}
		byte[] bytes = literal.getAddress();
		String words = words(bytes);
		if (bytes.length == 4) {
			return List.of(words, "0000000000000000FFFF0000" + words);
		}
		return List.of(words);
	}

	private static String words(byte[] bytes) {
		StringBuilder hex = new StringBuilder(bytes.length * 2);
		for (int word = 0; word < bytes.length; word += 4) {
			for (int i = 3; i >= 0; i--) {
				hex.append(String.format(Locale.ROOT, "%02X", bytes[word + i] & 0xff));
			}
		}
		return hex.toString();
	}

	/** Finds the {@code sl local rem st …} line of a local port and a remote address:port. */
	static @Nullable Integer find(String table, String localPort, String remote) {
		for (String line : table.split("\n")) {
			String[] fields = line.trim().split("\\s+");
			if (fields.length > 3 && fields[1].endsWith(localPort) && fields[2].equals(remote)) {
				try {
					return Integer.parseInt(fields[3], 16);
				}
				catch (NumberFormatException ex) {
					return null;
				}
			}
		}
		return null;
	}

}
