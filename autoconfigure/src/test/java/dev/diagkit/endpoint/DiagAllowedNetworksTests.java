package dev.diagkit.endpoint;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Allowed networks: the client address is taken from {@code X-Forwarded-For}, which Tomcat
 * trusts from the loopback proxy, so the test can speak as remote clients while every
 * packet stays on loopback.
 */
@SpringBootTest(classes = DiagTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=diag", "server.forward-headers-strategy=native",
				"diagkit.security.allowed-networks=10.0.0.0/8,fd00::/8" })
@DirtiesContext
class DiagAllowedNetworksTests {

	@LocalServerPort
	private int port;

	@Test
	void clientsOutsideTheAllowedNetworksGet403EvenWithGoodCredentials() throws Exception {
		DiagClient client = new DiagClient(this.port);
		var refused = client.get("/actuator/diag/labels", concat(DiagClient.basic("admin"), "X-Forwarded-For",
				"192.168.7.9"));
		assertThat(refused.statusCode()).isEqualTo(403);
		assertThat(DiagClient.body(refused).get("message").toString()).contains("192.168.7.9")
			.contains("allowed-networks");
		assertThat(client.get("/actuator/diag/labels", "X-Forwarded-For", "203.0.113.5").statusCode())
			.as("refused before authentication")
			.isEqualTo(403);
	}

	@Test
	void clientsInsideTheAllowedNetworksStillAuthenticate() throws Exception {
		DiagClient client = new DiagClient(this.port);
		assertThat(client.get("/actuator/diag/labels", concat(DiagClient.basic("reader"), "X-Forwarded-For",
				"10.1.2.3")).statusCode()).isEqualTo(200);
		assertThat(client.get("/actuator/diag/labels", "X-Forwarded-For", "10.1.2.3").statusCode()).isEqualTo(401);
		assertThat(client.get("/actuator/diag/labels", DiagClient.basic("reader")).statusCode())
			.as("loopback is always allowed")
			.isEqualTo(200);
	}

	private static String[] concat(String[] a, String... b) {
		String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
		System.arraycopy(b, 0, all, a.length, b.length);
		return all;
	}

}
