package dev.diagkit.endpoint;

import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import dev.diagkit.testing.DiagkitRecordings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.audit.AuditEventRepository;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client that goes away mid-capture stops the recording and frees the capture slot at
 * once, and the audit tells what really happened. Real sockets against a real server.
 */
@SpringBootTest(classes = DiagTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=diag",
				"diagkit.endpoint.requests-per-minute=100000", "diagkit.endpoint.burst=100000" })
@DirtiesContext
class CaptureCleanupTests {

	@LocalServerPort
	private int port;

	@Autowired
	private AuditEventRepository audit;

	@ParameterizedTest
	@ValueSource(strings = { "/actuator/diag/trace?seconds=30", "/actuator/diag/profile?seconds=30",
			"/actuator/diag/profile?seconds=30&format=jfr" })
	void aClientThatLeavesMidCaptureStopsItAndFreesTheSlot(String path) throws Exception {
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			String[] basic = DiagClient.basic("admin");
			OutputStream out = socket.getOutputStream();
			out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + basic[0] + ": " + basic[1] + "\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			await().atMost(Duration.ofSeconds(10)).until(() -> DiagkitRecordings.running() == 1);
		}
		// a recording for nobody would run for 30 s
		await().atMost(Duration.ofSeconds(3)).until(() -> DiagkitRecordings.running() == 0);
		HttpResponse<byte[]> next = new DiagClient(this.port).download("/actuator/diag/trace?seconds=1",
				DiagClient.basic("admin"));
		assertThat(next.statusCode()).as("the slot is free again").isEqualTo(200);
		String section = path.contains("trace") ? "DIAG_TRACE" : "DIAG_PROFILE";
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(this.audit.find("admin", null, section))
				.anySatisfy((event) -> assertThat(event.getData()).containsEntry("outcome", "aborted by client")));
	}

	@Test
	void aCaptureSentInFullIsAuditedOnceStreamed() throws Exception {
		HttpResponse<byte[]> trace = new DiagClient(this.port).download("/actuator/diag/trace?seconds=1",
				DiagClient.basic("admin"));
		assertThat(trace.statusCode()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(this.audit.find("admin", null, "DIAG_TRACE"))
				.anySatisfy((event) -> assertThat(event.getData()).containsEntry("outcome", "ok 200")));
	}

}
