package dev.diagkit.profiling;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.diagkit.testing.ExternalTool;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs {@code go tool pprof}, the real reader of the files {@link PprofWriter} writes. Looks
 * for {@code go} on the {@code PATH}, then at {@code /usr/lib/go/bin/go} and
 * {@code /usr/bin/go} (Debian's {@code golang-go}). Without {@code go} a test fails when
 * the environment variable {@code CI} is {@code true} and is skipped otherwise.
 */
public final class GoPprof {

	private static final long TIMEOUT_SECONDS = 60;

	private final Path go;

	private GoPprof(Path go) {
		this.go = go;
	}

	/**
	 * Returns the runner, or fails (CI) or skips (elsewhere) the test when {@code go} is
	 * missing.
	 */
	public static GoPprof locate() {
		return new GoPprof(ExternalTool.locate("go", "apt-get install -y golang-go", Path.of("/usr/lib/go/bin/go"),
				Path.of("/usr/bin/go")));
	}

	/**
	 * Runs {@code go tool pprof <args> <profile>} and returns what it printed on standard
	 * output; fails the test if it does not exit with 0 within a minute.
	 * @param profile the profile file
	 * @param args the options, such as {@code -top}
	 * @return standard output
	 */
	public String run(Path profile, String... args) throws IOException, InterruptedException {
		Path dir = Files.createTempDirectory(profile.getParent(), "pprof-run-");
		Path stdout = dir.resolve("stdout.txt");
		Path stderr = dir.resolve("stderr.txt");
		List<String> command = new ArrayList<>(List.of(this.go.toString(), "tool", "pprof"));
		command.addAll(List.of(args));
		command.add(profile.toString());
		ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(stdout.toFile())
			.redirectError(stderr.toFile());
		builder.environment().put("PPROF_TMPDIR", dir.toString());
		builder.environment().put("GOCACHE", dir.resolve("gocache").toString());
		Process process = builder.start();
		try {
			boolean finished = process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
			assertThat(finished).as("%s finished within %d s", command, TIMEOUT_SECONDS).isTrue();
			String errors = Files.readString(stderr, StandardCharsets.UTF_8);
			assertThat(process.exitValue()).as("exit code of %s; stderr: %s", command, errors).isZero();
			return Files.readString(stdout, StandardCharsets.UTF_8);
		}
		finally {
			process.destroyForcibly();
		}
	}

}
