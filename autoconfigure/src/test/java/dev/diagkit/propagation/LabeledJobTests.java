package dev.diagkit.propagation;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;

import dev.diagkit.labels.LabelSet;
import dev.diagkit.labels.ProfilingLabels;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class LabeledJobTests {

	@Test
	void captureTakesTheProducerLabelsAndRunAppliesThemOnTheConsumer() throws Exception {
		List<LabelSet> seen = new CopyOnWriteArrayList<>();
		LabeledJob job = ProfilingLabels.call(LabelSet.of("tenant", "acme"),
				() -> LabeledJob.capture(() -> seen.add(ProfilingLabels.current())));
		assertThat(job.labels()).isEqualTo(LabelSet.of("tenant", "acme"));
		Thread consumer = new Thread(() -> ProfilingLabels.run(LabelSet.of("consumer", "own"), () -> {
			job.run();
			seen.add(ProfilingLabels.current());
		}));
		consumer.start();
		consumer.join(5000);
		assertThat(seen).containsExactly(LabelSet.of("tenant", "acme"), LabelSet.of("consumer", "own"));
	}

	@Test
	void consumerRunsEachJobUnderItsLabelsAndCarriesNoneBetweenJobs() throws Exception {
		LinkedBlockingQueue<LabeledJob> queue = new LinkedBlockingQueue<>();
		List<String> seen = new CopyOnWriteArrayList<>();
		LabeledJobConsumer consumer = ProfilingLabels.call(LabelSet.of("tenant", "creator"),
				() -> LabeledJobConsumer.start("labeled-job-consumer-test", queue));
		try {
			queue.put(LabeledJob.of(LabelSet.of("tenant", "acme"), () -> seen.add(ProfilingLabels.current().toString())));
			queue.put(LabeledJob.of(LabelSet.of("tenant", "globex"), () -> {
				throw new IllegalStateException("job failed on purpose");
			}));
			queue.put(LabeledJob.of(LabelSet.empty(), () -> seen.add(ProfilingLabels.current().toString())));
			queue.put(LabeledJob.of(LabelSet.of("tenant", "initech"), () -> seen.add(ProfilingLabels.current().toString())));
			await().atMost(Duration.ofSeconds(10))
				.until(() -> consumer.completedJobs() + consumer.failedJobs() == 4);
			assertThat(seen).containsExactly("{tenant=acme}", "{}", "{tenant=initech}");
			assertThat(consumer.completedJobs()).isEqualTo(3);
			assertThat(consumer.failedJobs()).isEqualTo(1);
		}
		finally {
			assertThat(consumer.stop(Duration.ofSeconds(5))).isTrue();
		}
		assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
			.doesNotContain("labeled-job-consumer-test");
	}


	@Test
	void consumerSurvivesJobsThatLeaveAnInterruptOrThrowAnError() throws Exception {
		LinkedBlockingQueue<LabeledJob> queue = new LinkedBlockingQueue<>();
		List<String> seen = new CopyOnWriteArrayList<>();
		LabeledJobConsumer consumer = LabeledJobConsumer.start("labeled-job-consumer-robust", queue);
		try {
			queue.put(LabeledJob.of(LabelSet.of("n", "1"), () -> Thread.currentThread().interrupt()));
			queue.put(LabeledJob.of(LabelSet.of("n", "2"), () -> {
				throw new AssertionError("an Error from a job");
			}));
			queue.put(LabeledJob.of(LabelSet.of("n", "3"), () -> seen.add(ProfilingLabels.current().toString())));
			await().atMost(Duration.ofSeconds(10))
				.until(() -> consumer.completedJobs() + consumer.failedJobs() == 3);
			assertThat(seen).containsExactly("{n=3}");
			assertThat(consumer.completedJobs()).isEqualTo(2);
			assertThat(consumer.failedJobs()).isEqualTo(1);
		}
		finally {
			assertThat(consumer.stop(Duration.ofSeconds(5))).isTrue();
		}
	}

}
