package dev.diagkit.endpoint;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import dev.diagkit.testing.ChildJvm;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A child JVM serving diag: downloads its own trace and raw JFR profile into the files named
 * by its arguments and reports the statuses (and the body of a refusal).
 */
public final class CaptureSecretsChildMain {

	private CaptureSecretsChildMain() {
	}

	public static void main(String[] args) throws Exception {
		Properties results = new Properties();
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(DiagTestApplication.class).run(
				"--server.port=0", "--management.endpoints.web.exposure.include=diag",
				"--spring.main.banner-mode=off", "--logging.level.root=warn")) {
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			DiagClient client = new DiagClient(port);
			download(client, "/actuator/diag/trace?seconds=1", Path.of(args[1]), "trace", results);
			download(client, "/actuator/diag/profile?seconds=1&format=jfr", Path.of(args[2]), "profile", results);
		}
		ChildJvm.report(args[0], results);
	}

	private static void download(DiagClient client, String path, Path file, String name, Properties results)
			throws Exception {
		HttpResponse<byte[]> response = client.download(path, DiagClient.basic("admin"));
		results.setProperty(name + ".status", Integer.toString(response.statusCode()));
		if (response.statusCode() == 200) {
			Files.write(file, response.body());
		}
		else {
			results.setProperty(name + ".body", new String(response.body(), StandardCharsets.UTF_8));
		}
	}

}
