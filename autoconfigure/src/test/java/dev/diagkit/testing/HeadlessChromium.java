package dev.diagkit.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Debian's headless Chromium, which opens diagkit's pages and gives back the DOM their
 * scripts built. Tests that need it are skipped when it is not installed, except under
 * {@code CI=true}, where that fails.
 */
public final class HeadlessChromium {

	private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	private static final long TIMEOUT_SECONDS = 60;

	private HeadlessChromium() {
	}

	/** Skips the test (or fails it under {@code CI=true}) when Chromium is not installed. */
	public static void assumeInstalled() {
		boolean installed = Files.isExecutable(CHROMIUM);
		String missing = "Chromium is not installed at " + CHROMIUM + "; install it with: apt-get install -y chromium";
		if (!installed && "true".equals(System.getenv("CI"))) {
			fail(missing + " (it is required when CI=true)");
		}
		assumeTrue(installed, missing);
	}

	/**
	 * Opens a page and returns its DOM once its scripts have run.
	 * @param url the page
	 * @param dir a temporary directory for Chromium's profile and output
	 * @return the DOM, serialised
	 */
	public static String dumpDom(String url, Path dir) throws IOException, InterruptedException {
		Path profile = Files.createTempDirectory(dir, "chromium-");
		Path out = Files.createTempFile(dir, "dom-", ".html");
		Path err = Files.createTempFile(dir, "chromium-", ".log");
		ProcessBuilder builder = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
				"--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
				"--disable-sync", "--user-data-dir=" + profile, "--virtual-time-budget=5000", "--dump-dom", url)
			.redirectOutput(out.toFile())
			.redirectError(err.toFile());
		Map<String, String> environment = builder.environment();
		environment.put("HOME", profile.toString());
		environment.put("XDG_CONFIG_HOME", profile.resolve("config").toString());
		environment.put("XDG_CACHE_HOME", profile.resolve("cache").toString());
		Process chromium = builder.start();
		try {
			boolean exited = chromium.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
			assertThat(exited).as("chromium exited within %d s; its log:%n%s", TIMEOUT_SECONDS, Files.readString(err))
				.isTrue();
			assertThat(chromium.exitValue()).as("chromium's exit code; its log:%n%s", Files.readString(err)).isZero();
			return Files.readString(out, StandardCharsets.UTF_8);
		}
		finally {
			destroy(chromium);
		}
	}

	/**
	 * Ends chromium and whatever it started (zygote, renderer), so none outlives the test
	 * or keeps writing into the temporary directory.
	 */
	private static void destroy(Process chromium) throws InterruptedException {
		List<ProcessHandle> processes = new ArrayList<>(chromium.descendants().toList());
		processes.add(chromium.toHandle());
		processes.forEach(ProcessHandle::destroyForcibly);
		for (ProcessHandle process : processes) {
			try {
				process.onExit().get(10, TimeUnit.SECONDS);
			}
			catch (ExecutionException | TimeoutException ex) {
				// a process that will not die is reported by the temporary directory's cleanup
			}
		}
	}

}
