package dev.diagkit.runtime;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Reading the kernel's connection tables: addresses in its word order, a connection found
 * only by its server port and its client's address and port.
 */
class TcpConnectionsTests {

	private static final String TABLE = """
			  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
			   0: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1
			   1: 0100007F:1F90 0200007F:D431 01 00000000:00000000 00:00000000 00000000     0        0 2 1
			   2: 0100007F:1F90 0100007F:D431 08 00000000:00000000 00:00000000 00000000     0        0 3 1
			""";

	@Test
	void addressesAreWrittenInTheKernelsWordOrderAndIpv4AlsoAsMapped() {
		assertThat(TcpConnections.kernelAddresses("127.0.0.1")).containsExactly("0100007F",
				"0000000000000000FFFF00000100007F");
		assertThat(TcpConnections.kernelAddresses("::1")).containsExactly("00000000000000000000000001000000");
		assertThat(TcpConnections.kernelAddresses("example.org")).as("never looked up").isEmpty();
	}

	@Test
	void aConnectionIsFoundByServerPortAndClientAddressAndPortOnly() {
		assertThat(TcpConnections.find(TABLE, ":1F90", "0100007F:D431")).isEqualTo(TcpConnections.CLOSE_WAIT);
		assertThat(TcpConnections.find(TABLE, ":1F90", "0200007F:D431")).as("same port, another client")
			.isEqualTo(1);
		assertThat(TcpConnections.find(TABLE, ":1F91", "0100007F:D431")).isNull();
	}

	@Test
	void aClientClosingItsEndShowsAsCloseWait() throws Exception {
		assumeTrue(TcpConnections.available(), "no /proc/self/net/tcp here");
		try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
				Socket client = new Socket(server.getInetAddress(), server.getLocalPort());
				Socket accepted = server.accept()) {
			assertThat(TcpConnections.state(server.getLocalPort(), "127.0.0.1", client.getLocalPort())).isEqualTo(1);
			client.close();
			await().atMost(Duration.ofSeconds(5))
				.until(() -> Integer.valueOf(TcpConnections.CLOSE_WAIT)
					.equals(TcpConnections.state(server.getLocalPort(), "127.0.0.1", accepted.getPort())));
		}
	}

}
