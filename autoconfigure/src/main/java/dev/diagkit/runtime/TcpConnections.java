package dev.diagkit.runtime;

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
	 * Returns the state of the connection between two ports, as the kernel codes it
	 * ({@code 01} established, {@link #CLOSE_WAIT}…).
	 * @param localPort the server's port
	 * @param remotePort the client's port
	 * @return the state, or {@code null} when no such connection is listed
	 */
	public static @Nullable Integer state(int localPort, int remotePort) {
		String local = String.format(Locale.ROOT, ":%04X", localPort);
		String remote = String.format(Locale.ROOT, ":%04X", remotePort);
		for (Path table : TABLES) {
			String text = KernelFiles.read(table);
			if (text == null) {
				continue;
			}
			Integer state = find(text, local, remote);
			if (state != null) {
				return state;
			}
		}
		return null;
	}

	/** Finds {@code sl local rem st …} lines whose addresses end in the given ports. */
	static @Nullable Integer find(String table, String localPort, String remotePort) {
		for (String line : table.split("\n")) {
			String[] fields = line.trim().split("\\s+");
			if (fields.length > 3 && fields[1].endsWith(localPort) && fields[2].endsWith(remotePort)) {
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
