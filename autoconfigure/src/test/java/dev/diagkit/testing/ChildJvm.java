package dev.diagkit.testing;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
			List<String> command = new ArrayList<>();
			command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
			command.addAll(jvmOptions);
			command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName(), results.toString()));
			command.addAll(List.of(args));
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
	 * Writes a child's results, for {@link #run} to read.
	 * @param file the file named by the child's first argument
	 * @param results the results
	 */
	public static void report(String file, Properties results) throws IOException {
		try (Writer writer = Files.newBufferedWriter(Path.of(file), StandardCharsets.UTF_8)) {
			results.store(writer, null);
		}
	}

}
