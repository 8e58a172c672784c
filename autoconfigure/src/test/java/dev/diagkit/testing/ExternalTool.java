package dev.diagkit.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Finds a program the tests use as an independent reader ({@code go}, {@code promtool}):
 * on the {@code PATH}, then at the given places. Without it a test fails when the environment
 * variable {@code CI} is {@code true} (CI installs it) and is skipped otherwise.
 */
public final class ExternalTool {

	private ExternalTool() {
	}

	/**
	 * Returns the program, or fails (CI) or skips (elsewhere) the test.
	 * @param command the program's name, such as {@code promtool}
	 * @param install how to install it, such as {@code apt-get install -y prometheus}
	 * @param places where to look after the {@code PATH}
	 * @return the program
	 */
	public static Path locate(String command, String install, Path... places) {
		List<Path> candidates = new ArrayList<>();
		String path = System.getenv("PATH");
		if (path != null) {
			for (String dir : path.split(File.pathSeparator)) {
				if (!dir.isEmpty()) {
					candidates.add(Path.of(dir, command));
				}
			}
		}
		candidates.addAll(List.of(places));
		for (Path candidate : candidates) {
			if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
				return candidate;
			}
		}
		String message = command + " is not installed (looked on PATH and " + List.of(places) + "); install it with: "
				+ install;
		if ("true".equals(System.getenv("CI"))) {
			fail(message + " (it is required when CI=true)");
		}
		assumeTrue(false, message);
		throw new IllegalStateException(message);
	}

}
