package dev.diagkit.sample;

import java.time.Duration;

import dev.diagkit.sample.observed.LabelObservations;
import dev.diagkit.sample.traffic.DemoTrafficGenerator;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The demo traffic generator, switched on: requests for every tenant reach the
 * application's own port, and its thread ends with the application.
 */
class DemoTrafficGeneratorTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	@Test
	void sendsRequestsForEachTenantAndStopsWithTheApplication() {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class)
			.main(SampleApplication.class)
			.run("--server.port=0", "--sample.traffic.enabled=true", "--sample.traffic.requests-per-second=50",
					"--spring.main.banner-mode=off");
		DemoTrafficGenerator generator;
		try (context) {
			generator = context.getBean(DemoTrafficGenerator.class);
			LabelObservations observations = context.getBean(LabelObservations.class);
			assertThat(generator.isRunning()).isTrue();
			await().atMost(WAIT).untilAsserted(() -> {
				assertThat(observations.recent(LabelObservations.REQUEST))
					.extracting((seen) -> seen.labels().get("tenant"))
					.contains("acme", "globex", "initech");
				assertThat(observations.recent(LabelObservations.REQUEST))
					.anySatisfy((seen) -> assertThat(seen.labels()).doesNotContainKey("tenant"));
				assertThat(observations.recent(LabelObservations.REQUEST))
					.anySatisfy((seen) -> assertThat(seen.labels()).containsEntry("endpoint", "POST /checkout"));
			});
			assertThat(generator.answeredRequests()).isPositive();
			assertThat(generator.failedRequests()).isZero();
		}
		assertThat(generator.isRunning()).isFalse();
		await().atMost(WAIT).untilAsserted(() -> assertThat(Thread.getAllStackTraces().keySet())
			.noneMatch((thread) -> thread.getName().equals(DemoTrafficGenerator.THREAD_NAME)));
	}

}
