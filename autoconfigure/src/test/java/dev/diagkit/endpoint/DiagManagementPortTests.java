package dev.diagkit.endpoint;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Diag on a separate management port keeps its security: the diag chain is applied in the
 * management context too.
 */
@SpringBootTest(classes = DiagTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=diag", "management.server.port=0" })
@DirtiesContext
class DiagManagementPortTests {

	@LocalServerPort
	private int port;

	@LocalManagementPort
	private int managementPort;

	@Test
	void diagAnswersOnTheManagementPortWithItsSecurity() throws Exception {
		assertThat(this.managementPort).isNotEqualTo(this.port);
		DiagClient management = new DiagClient(this.managementPort);
		assertThat(management.get("/actuator/diag/labels").statusCode()).isEqualTo(401);
		assertThat(management.get("/actuator/diag/labels", DiagClient.basic("reader")).statusCode()).isEqualTo(200);
		assertThat(management.post("/actuator/diag/gc", "{}", DiagClient.basic("reader")).statusCode()).isEqualTo(403);
		assertThat(management.post("/actuator/diag/gc", "{}", DiagClient.basic("admin")).statusCode()).isEqualTo(200);
	}

	@Test
	void aBodilessPostAndMvcErrorsAreAnsweredByDiagOnTheManagementPort() throws Exception {
		DiagClient management = new DiagClient(this.managementPort);
		HttpResponse<String> gc = management.send("POST", "/actuator/diag/gc", DiagClient.basic("admin"));
		assertThat(gc.statusCode()).as(gc.body()).isEqualTo(200);
		HttpResponse<String> put = management.send("PUT", "/actuator/diag/gc", DiagClient.basic("admin"));
		assertThat(put.statusCode()).isEqualTo(405);
		assertThat(DiagClient.body(put)).containsOnlyKeys("status", "message");
	}

	@Test
	void diagIsNotOnTheMainPort() throws Exception {
		assertThat(new DiagClient(this.port).get("/actuator/diag/labels", DiagClient.basic("admin")).statusCode())
			.isEqualTo(404);
	}

}
