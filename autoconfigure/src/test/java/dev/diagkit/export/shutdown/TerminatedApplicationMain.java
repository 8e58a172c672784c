package dev.diagkit.export.shutdown;

import java.time.Duration;
import java.util.Properties;

import dev.diagkit.export.LocalProfileStore;
import dev.diagkit.labels.LabelSet;
import dev.diagkit.labels.ProfilingLabels;
import dev.diagkit.testing.ChildJvm;
import dev.diagkit.testing.Work;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * An application with continuous profiling into a local store and a Pyroscope server, as
 * a user runs it: once its store holds a window it reports, then runs until it is stopped
 * (by SIGTERM). Arguments: the results file, the store directory, the Pyroscope URL, the
 * Pyroscope sink's spool directory.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class TerminatedApplicationMain {

	static volatile long sink;

	public static void main(String[] args) throws Exception {
		try {
			run(args);
		}
		catch (Throwable ex) {
			LogFactory.getLog(TerminatedApplicationMain.class).error("The child application failed", ex);
			System.exit(2);
		}
	}

	private static void run(String[] args) throws Exception {
		Thread worker = new Thread(() -> {
			while (true) {
				ProfilingLabels.run(LabelSet.of("tenant", "acme"), () -> sink += Work.burnCpuTime(Duration.ofMillis(20)));
			}
		}, "terminated-app-worker");
		worker.setDaemon(true);
		worker.start();
		ConfigurableApplicationContext context = new SpringApplicationBuilder(TerminatedApplicationMain.class)
			.web(WebApplicationType.NONE)
			.run("--spring.application.name=terminated", "--diagkit.profiling.continuous.enabled=true",
					"--diagkit.profiling.continuous.period=5s", "--diagkit.profiling.export.directory.path=" + args[1],
					"--diagkit.profiling.export.directory.enabled=true",
					"--diagkit.profiling.export.pyroscope.url=" + args[2],
					"--diagkit.profiling.export.pyroscope.spool.directory=" + args[3]);
		LocalProfileStore store = context.getBean(LocalProfileStore.class);
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (store.list().isEmpty() && System.nanoTime() - deadline < 0) {
			Thread.sleep(50);
		}
		Properties results = new Properties();
		results.setProperty("windows", Integer.toString(store.list().size()));
		ChildJvm.report(args[0], results);
		Thread.sleep(Long.MAX_VALUE);
	}

}
