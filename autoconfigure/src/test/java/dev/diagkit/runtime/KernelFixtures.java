package dev.diagkit.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Copies of real {@code /proc} and {@code /sys/fs/cgroup} files, one directory per machine
 * shape, each with a {@code proc} and a {@code cgroup} root:
 * <ul>
 * <li>{@code hybrid}: this build machine (kernel 6.18): v1 controllers, the unified
 * hierarchy under {@code unified}, the process in {@code memory:/process_api/<id>} with no
 * limit;</li>
 * <li>{@code v1}: a Docker container on a v1 host without PSI, its memory cgroup mounted as
 * the root of the hierarchy, 512 MiB limit;</li>
 * <li>{@code v2}: a systemd service on a v2 host, {@code MemoryMax=1G};</li>
 * <li>{@code v2-container}: a container with a private cgroup namespace ({@code 0::/}),
 * 512 MiB limit.</li>
 * </ul>
 */
public final class KernelFixtures {

	private KernelFixtures() {
	}

	/**
	 * Returns a fixture directory on the test class path.
	 * @param name the fixture, such as {@code v2}
	 * @return its directory, holding {@code proc} and {@code cgroup}
	 */
	public static Path of(String name) {
		URL url = KernelFixtures.class.getResource("/dev/diagkit/runtime/fixtures/" + name);
		if (url == null) {
			throw new IllegalArgumentException("No memory fixture named '" + name + "'");
		}
		try {
			return Path.of(url.toURI());
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Copies a fixture so that a test can change its files.
	 * @param name the fixture
	 * @param target an empty directory
	 * @return the copy's directory
	 */
	public static Path copy(String name, Path target) {
		Path source = of(name);
		try (Stream<Path> files = Files.walk(source)) {
			files.forEach((file) -> {
				Path copy = target.resolve(source.relativize(file).toString());
				try {
					if (Files.isDirectory(file)) {
						Files.createDirectories(copy);
					}
					else {
						Files.copy(file, copy);
					}
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			});
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return target;
	}

	/**
	 * Replaces (or creates) a file of a fixture copy.
	 * @param root the copy
	 * @param relative the file's path in the copy
	 * @param content the new content
	 */
	public static void write(Path root, String relative, String content) {
		try {
			Path file = root.resolve(relative);
			Files.createDirectories(file.getParent());
			Files.writeString(file, content);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
