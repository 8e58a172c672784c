package dev.diagkit.testing;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs a main class in a child JVM on the tests' class path, for behaviour a test JVM cannot
 * show (a fixed heap, another collector). The child writes its results with
 * {@link #report(String, Properties)} to the file named by its first argument; its console
 * output is kept only to explain a failure.
 */
public final class ChildJvm {

	private ChildJvm() {
	}

	/**
	 * Runs a child JVM to its end (at most 60 s) and reads its results.
	 * @param main the class whose {@code main} runs
	 * @param jvmOptions options for the JVM, such as {@code -Xmx64m}
	 * @param args arguments after the results file
	 * @return the results the child reported
	 * @throws AssertionError if the child does not end in time or ends with a failure
	 */
	public static Properties run(Class<?> main, List<String> jvmOptions, String... args)
			throws IOException, InterruptedException {
		return run(main, jvmOptions, Map.of(), args);
	}

	/**
	 * Runs a child JVM to its end (at most 60 s) with more environment variables, and reads
	 * its results.
	 * @param main the class whose {@code main} runs
	 * @param jvmOptions options for the JVM, such as {@code -Xmx64m}
	 * @param environment variables added to the child's environment
	 * @param args arguments after the results file
	 * @return the results the child reported
	 * @throws AssertionError if the child does not end in time or ends with a failure
	 */
	public static Properties run(Class<?> main, List<String> jvmOptions, Map<String, String> environment,
			String... args) throws IOException, InterruptedException {
		Path results = Files.createTempFile("child-jvm-", ".properties");
		Path console = Files.createTempFile("child-jvm-", ".log");
		try {
			List<String> command = command(main, jvmOptions, results, args);
			ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(console.toFile());
			builder.environment().putAll(environment);
			Process process = builder.start();
			try {
				assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("child JVM ended within 60 s").isTrue();
			}
			finally {
				process.destroyForcibly();
			}
			assertThat(process.exitValue()).as(Files.readString(console)).isZero();
			Properties properties = new Properties();
			try (Reader reader = Files.newBufferedReader(results, StandardCharsets.UTF_8)) {
				properties.load(reader);
			}
			return properties;
		}
		finally {
			Files.deleteIfExists(results);
			Files.deleteIfExists(console);
		}
	}

	/**
	 * Starts a child JVM, waits (at most 60 s) until it has {@linkplain #report reported},
	 * then after {@code after} sends it SIGTERM, as a container runtime stops a process, and
	 * waits (at most 30 s) until it has ended.
	 * @param main the class whose {@code main} runs; it reports once ready and keeps running
	 * @param jvmOptions options for the JVM
	 * @param after how long to let the child run after its report
	 * @param args arguments after the results file
	 * @return what the child reported, and how it ended
	 */
	public static Terminated runUntilTerminated(Class<?> main, List<String> jvmOptions, Duration after,
			String... args) throws IOException, InterruptedException {
		Path results = Files.createTempFile("child-jvm-", ".properties");
		Path console = Files.createTempFile("child-jvm-", ".log");
		Files.delete(results);
		try {
			List<String> command = command(main, jvmOptions, results, args);
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(console.toFile())
				.start();
			try {
				long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
				while (!Files.exists(results)) {
					assertThat(process.isAlive()).as("child JVM running until it reports: %s", Files.readString(console))
						.isTrue();
					assertThat(System.nanoTime() - deadline).as("child JVM reported within 60 s: %s", Files.readString(console))
						.isNegative();
					Thread.sleep(50);
				}
				Thread.sleep(after.toMillis());
				Instant signalledAt = Instant.now();
				process.destroy();
				assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("child JVM ended within 30 s of SIGTERM").isTrue();
				Properties properties = new Properties();
				try (Reader reader = Files.newBufferedReader(results, StandardCharsets.UTF_8)) {
					properties.load(reader);
				}
				return new Terminated(properties, signalledAt, process.exitValue(), Files.readString(console));
			}
			finally {
				process.destroyForcibly();
			}
		}
		finally {
			Files.deleteIfExists(results);
			Files.deleteIfExists(console);
		}
	}

	/**
	 * Returns whether a child JVM starts with an option, such as a collector this JDK may
	 * not have.
	 * @param jvmOption the option
	 * @return whether {@code java <option> -version} succeeds
	 */
	public static boolean supports(String jvmOption) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(javaCommand(), jvmOption, "-version").redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		try {
			return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
		}
		finally {
			process.destroyForcibly();
		}
	}

	private static String javaCommand() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	private static List<String> command(Class<?> main, List<String> jvmOptions, Path results, String... args) {
		List<String> command = new ArrayList<>();
		command.add(javaCommand());
		command.addAll(jvmOptions);
		// a class path given in the options (classPathWithout) replaces the tests' own
		if (!jvmOptions.contains("-cp")) {
			command.addAll(List.of("-cp", System.getProperty("java.class.path")));
		}
		command.addAll(List.of(main.getName(), results.toString()));
		command.addAll(List.of(args));
		return command;
	}

	/**
	 * Returns JVM options that run the child on the tests' class path without the entries
	 * whose path contains {@code fragment}: an optional library left out, as in an
	 * application that does not depend on it.
	 * @param fragment such as {@code /org/openjdk/jmc/}
	 * @return the {@code -cp} option and its value
	 */
	public static List<String> classPathWithout(String fragment) {
		String separator = System.getProperty("path.separator");
		List<String> kept = new ArrayList<>();
		for (String entry : System.getProperty("java.class.path").split(java.util.regex.Pattern.quote(separator))) {
			if (!entry.replace('\\', '/').contains(fragment)) {
				kept.add(entry);
			}
		}
		return List.of("-cp", String.join(separator, kept));
	}

	/**
	 * Writes a child's results, for {@link #run} to read; readers never see half of them.
	 * @param file the file named by the child's first argument
	 * @param results the results
	 */
	public static void report(String file, Properties results) throws IOException {
		Path target = Path.of(file);
		Path written = target.resolveSibling(target.getFileName() + ".writing");
		try (Writer writer = Files.newBufferedWriter(written, StandardCharsets.UTF_8)) {
			results.store(writer, null);
		}
		Files.move(written, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
	}

	/**
	 * A child JVM stopped by SIGTERM.
	 * @param reported what it reported
	 * @param signalledAt when SIGTERM was about to be sent
	 * @param exitValue its exit value
	 * @param console its standard output and error
	 */
	public record Terminated(Properties reported, Instant signalledAt, int exitValue, String console) {
	}

}
