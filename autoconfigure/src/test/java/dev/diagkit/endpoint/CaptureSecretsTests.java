package dev.diagkit.endpoint;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import dev.diagkit.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No secret of the process leaves in a capture: a child JVM with a secret in its environment
 * and another in a system property serves a trace and a raw JFR profile, and {@code jfr
 * print} over each whole file finds neither, only the redacted replacements.
 */
class CaptureSecretsTests {

	private static final String TOKEN = "sesame-open-4711";

	private static final String PASSWORD = "hunter2-in-the-child";

	@TempDir
	Path directory;

	@Test
	void noSecretOfTheProcessIsInATraceOrAJfrProfile() throws Exception {
		Path trace = this.directory.resolve("trace.jfr");
		Path profile = this.directory.resolve("profile.jfr");
		Properties results = child(List.of(), trace, profile);
		assertThat(results).containsEntry("trace.status", "200").containsEntry("profile.status", "200");
		for (Path file : List.of(trace, profile)) {
			assertThat(jfr("summary", file)).as(file.getFileName() + " is a recording").contains("Chunks:");
			String printed = jfr("print", file);
			assertThat(printed).as(file.getFileName().toString())
				.doesNotContain(TOKEN)
				.doesNotContain(PASSWORD)
				.doesNotContain("jdk.InitialEnvironmentVariable")
				.doesNotContain("jdk.SystemProcess")
				.doesNotContain("jdk.InitialSystemProperty")
				.doesNotContain("jdk.JVMInformation");
			assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).doesNotContain(TOKEN)
				.doesNotContain(PASSWORD);
			if (Runtime.version().feature() >= 19) {
				String replacements = jfr("print", "--events", "dev.diagkit.SystemProperty,dev.diagkit.JVMInformation",
						file);
				assertThat(replacements).contains("key = \"db.password\"")
					.contains("value = \"_redacted\"")
					.contains("-Ddb.password=_redacted")
					.contains("key = \"java.version\"")
					.doesNotContain("N/A");
			}
		}
	}

	@Test
	void anotherRecordingThatRecordsTheEnvironmentDoesNotLeakItIntoACapture() throws Exception {
		Path trace = this.directory.resolve("trace.jfr");
		Path profile = this.directory.resolve("profile.jfr");
		Properties results = child(List.of("-XX:StartFlightRecording"), trace, profile);
		if (Runtime.version().feature() >= 19) {
			assertThat(results).containsEntry("trace.status", "200").containsEntry("profile.status", "200");
			for (Path file : List.of(trace, profile)) {
				assertThat(jfr("print", file)).doesNotContain(TOKEN)
					.doesNotContain(PASSWORD)
					.doesNotContain("jdk.InitialEnvironmentVariable");
			}
		}
		else {
			assertThat(results).containsEntry("trace.status", "409").containsEntry("profile.status", "409");
			assertThat(results.getProperty("trace.body")).contains("Another JFR recording in this JVM records")
				.contains("jdk.InitialEnvironmentVariable");
			assertThat(trace).doesNotExist();
		}
	}

	private static Properties child(List<String> options, Path trace, Path profile) throws Exception {
		List<String> jvm = new java.util.ArrayList<>(options);
		jvm.add("-Ddb.password=" + PASSWORD);
		return ChildJvm.run(CaptureSecretsChildMain.class, jvm, Map.of("SECRET_TOKEN", TOKEN), trace.toString(),
				profile.toString());
	}

	private static String jfr(Object... arguments) throws Exception {
		List<String> command = new java.util.ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "jfr").toString());
		for (Object argument : arguments) {
			command.add(argument.toString());
		}
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(output).isZero();
		return output;
	}

}
