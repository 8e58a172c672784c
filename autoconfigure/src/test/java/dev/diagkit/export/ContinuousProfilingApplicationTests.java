package dev.diagkit.export;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import dev.diagkit.labels.LabelSet;
import dev.diagkit.labels.ProfilingLabels;
import dev.diagkit.testing.Work;
import jdk.jfr.FlightRecorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Continuous profiling as an application gets it from the auto-configuration: it starts
 * when the application is ready, a window reaches a real HTTP server implementing
 * Pyroscope's ingest contract every period, windows chain exactly, the last, partial window
 * arrives when the context closes, and nothing of diagkit's is left running.
 */
class ContinuousProfilingApplicationTests {

	static volatile long sink;

	@TempDir
	Path spool;

	@Test
	void windowsReachPyroscopeEveryPeriodAndTheLastOneAtShutdown() throws Exception {
		AtomicBoolean running = new AtomicBoolean(true);
		Thread worker = new Thread(() -> {
			while (running.get()) {
				ProfilingLabels.run(LabelSet.of("tenant", "acme"), () -> sink += Work.burnCpuTime(Duration.ofMillis(20)));
			}
		}, "continuous-app-worker");
		try (PyroscopeIngestServer server = PyroscopeIngestServer.start()) {
			worker.start();
			SpringApplication application = new SpringApplication(ProfiledApplication.class);
			application.setWebApplicationType(WebApplicationType.NONE);
			ConfigurableApplicationContext context = application.run("--spring.application.name=checkout",
					"--diagkit.profiling.continuous.enabled=true", "--diagkit.profiling.continuous.period=5s",
					"--diagkit.profiling.static-labels.env=test",
					"--diagkit.profiling.export.pyroscope.url=" + server.url(),
					"--diagkit.profiling.export.pyroscope.spool.directory=" + this.spool,
					"--diagkit.profiling.export.directory.enabled=false");
			try {
				await().atMost(Duration.ofSeconds(30)).until(() -> server.stored().size() >= 2);
			}
			finally {
				context.close();
			}
			List<PyroscopeIngestServer.Ingest> stored = server.stored();
			assertThat(server.violations()).isEmpty();
			assertThat(stored).hasSizeGreaterThanOrEqualTo(3);
			for (int i = 1; i < stored.size(); i++) {
				IngestedProfile previous = stored.get(i - 1).profile();
				assertThat(stored.get(i).profile().timeNanos()).as("window %d starts where %d ends", i, i - 1)
					.isEqualTo(previous.timeNanos() + previous.durationNanos());
			}
			assertThat(stored.subList(0, stored.size() - 1))
				.allSatisfy((ingest) -> assertThat(ingest.profile().durationNanos()).isEqualTo(5_000_000_000L));
			assertThat(stored.get(stored.size() - 1).profile().durationNanos()).as("the last, partial window")
				.isLessThan(5_000_000_000L);
			assertThat(stored).allSatisfy((ingest) -> {
				assertThat(ingest.serviceName()).isEqualTo("checkout");
				assertThat(ingest.labels()).containsEntry("env", "test").containsKey("instance");
			});
			assertThat(stored.get(0).profile().samples())
				.anySatisfy((sample) -> assertThat(sample.labels()).containsEntry("tenant", "acme"));
		}
		finally {
			running.set(false);
			worker.join(5000);
		}
		assertThat(Thread.getAllStackTraces().keySet())
			.noneMatch((thread) -> thread.isAlive() && thread.getName().startsWith("diagkit-"));
		assertThat(FlightRecorder.getFlightRecorder().getRecordings()).isEmpty();
		try (Stream<Path> left = Files.list(this.spool)) {
			assertThat(left.filter((file) -> !file.getFileName().toString().equals("spool.lock")))
				.as("windows left in the spool").isEmpty();
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class ProfiledApplication {

	}

}
