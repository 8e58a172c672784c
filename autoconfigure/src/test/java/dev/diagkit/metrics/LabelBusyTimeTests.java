package dev.diagkit.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import dev.diagkit.labels.LabelRegistry;
import dev.diagkit.labels.LabelSet;
import dev.diagkit.labels.ProfilingLabels;
import dev.diagkit.runtime.MetricsRefresher;
import dev.diagkit.testing.Work;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code diagkit.labels.busy} sampled by the real refresher thread at the default 100 ms,
 * against threads whose time under a label is measured exactly.
 */
class LabelBusyTimeTests {

	private static final LabelSet ACME = LabelSet.of("tenant", "acme");

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final LabelRegistry labels = new LabelRegistry(Duration.ofMinutes(10));

	private final AtomicBoolean running = new AtomicBoolean(true);

	private final List<Thread> threads = new ArrayList<>();

	@AfterEach
	void stop() throws InterruptedException {
		this.running.set(false);
		for (Thread thread : this.threads) {
			thread.join(5000);
		}
		this.labels.close();
	}

	@Test
	void threeThreadsHalfTheirTimeUnderATenantReadOneAndAHalfBusyThreads() throws Exception {
		LabelActivityMetrics metrics = new LabelActivityMetrics(this.labels, Set.of("tenant"), 200, "_other",
				Tags.empty());
		metrics.bindTo(this.registry);
		AtomicLong underAcme = new AtomicLong();
		for (int i = 0; i < 3; i++) {
			start("busy-acme-" + i, () -> {
				// random lengths, so the threads never keep step with the sampler
				long on = TimeUnit.MILLISECONDS.toNanos(ThreadLocalRandom.current().nextLong(5, 46));
				long off = TimeUnit.MILLISECONDS.toNanos(ThreadLocalRandom.current().nextLong(5, 46));
				ProfilingLabels.run(ACME, () -> {
					long entered = System.nanoTime();
					LockSupport.parkNanos(on);
					underAcme.addAndGet(System.nanoTime() - entered);
				});
				LockSupport.parkNanos(off);
			});
		}
		try (MetricsRefresher refresher = new MetricsRefresher()) {
			refresher.schedule("busy label time", Duration.ofMillis(100), metrics::sampleBusy);
			Thread.sleep(1000);
			double busyBefore = busySeconds("acme");
			long exactBefore = underAcme.get();
			long start = System.nanoTime();
			Thread.sleep(20_000);
			double busyAfter = busySeconds("acme");
			long exactAfter = underAcme.get();
			double elapsed = (System.nanoTime() - start) / 1e9;
			double sampled = (busyAfter - busyBefore) / elapsed;
			double exact = (exactAfter - exactBefore) / 1e9 / elapsed;
			assertThat(sampled).as("busy threads read from the counter (exact %.3f)", exact).isBetween(1.3, 1.7);
			assertThat(sampled).as("against the exact %.3f", exact).isCloseTo(exact,
					org.assertj.core.data.Offset.offset(0.15));
		}
	}

	@Test
	void eachKeyKeepsAtMostItsLimitOfCountersAndTheRestCountsAsOverflow() throws Exception {
		LabelActivityMetrics metrics = new LabelActivityMetrics(this.labels, Set.of("tenant"), 3, "_other",
				Tags.empty());
		metrics.bindTo(this.registry);
		CountDownLatch labelled = new CountDownLatch(5);
		CountDownLatch release = new CountDownLatch(1);
		for (int i = 0; i < 5; i++) {
			LabelSet tenant = LabelSet.of("tenant", "tenant-" + i);
			Thread thread = new Thread(() -> ProfilingLabels.run(tenant, () -> {
				labelled.countDown();
				try {
					release.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}), "tenant-" + i);
			thread.start();
			this.threads.add(thread);
		}
		try {
			assertThat(labelled.await(5, TimeUnit.SECONDS)).isTrue();
			metrics.sampleBusy();
			Thread.sleep(50);
			metrics.sampleBusy();
			assertThat(metrics.busyCounters("tenant")).isEqualTo(3);
			List<String> values = this.registry.find("diagkit.labels.busy")
				.functionCounters()
				.stream()
				.map((counter) -> counter.getId().getTag("value"))
				.toList();
			assertThat(values).hasSize(3).contains("_other");
			double total = this.registry.find("diagkit.labels.busy")
				.functionCounters()
				.stream()
				.mapToDouble(FunctionCounter::count)
				.sum();
			// five threads for the 50 ms or so between the two samples
			assertThat(total).isBetween(5 * 0.04, 5 * 1.0);
		}
		finally {
			release.countDown();
		}
	}

	@Test
	void aValueThatWentIdleGivesItsPlaceToANewOneBesideTheOverflowCounter() throws Exception {
		LabelActivityMetrics metrics = new LabelActivityMetrics(this.labels, Set.of("tenant"), 3, "_other",
				Tags.empty());
		metrics.bindTo(this.registry);
		Map<String, CountDownLatch> releases = new ConcurrentHashMap<>();
		try {
			assertIdlePlaceIsReused(metrics, releases);
		}
		finally {
			releases.values().forEach(CountDownLatch::countDown);
		}
	}

	private void assertIdlePlaceIsReused(LabelActivityMetrics metrics, Map<String, CountDownLatch> releases)
			throws InterruptedException {
		long now = System.nanoTime();
		holdTenants(releases, "t0", "t1", "t2");
		metrics.sampleBusy(now);
		metrics.sampleBusy(now += 1_000_000_000L);
		assertThat(busyValues()).containsExactlyInAnyOrder("t0", "t1", "_other");
		// t0 stops; t1 and the overflow (t2) stay busy past the idle time
		releases.get("t0").countDown();
		this.threads.get(0).join(5_000);
		metrics.sampleBusy(now += TimeUnit.MINUTES.toNanos(LabelActivityMetrics.BUSY_IDLE_MINUTES + 1));
		metrics.pruneIdle(now);
		assertThat(busyValues()).containsExactlyInAnyOrder("t1", "_other");
		// the overflow counter stays (it gained just now); its place is not one of the own values'
		releases.get("t2").countDown();
		this.threads.get(2).join(5_000);
		holdTenants(releases, "t3");
		metrics.sampleBusy(now += 1_000_000_000L);
		assertThat(busyValues()).containsExactlyInAnyOrder("t1", "t3", "_other");
	}

	private void holdTenants(Map<String, CountDownLatch> releases, String... tenants) throws InterruptedException {
		CountDownLatch labelled = new CountDownLatch(tenants.length);
		for (String tenant : tenants) {
			CountDownLatch release = new CountDownLatch(1);
			releases.put(tenant, release);
			Thread thread = new Thread(() -> ProfilingLabels.run(LabelSet.of("tenant", tenant), () -> {
				labelled.countDown();
				try {
					release.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}), tenant);
			thread.start();
			this.threads.add(thread);
		}
		assertThat(labelled.await(5, TimeUnit.SECONDS)).isTrue();
	}

	private List<String> busyValues() {
		return this.registry.find("diagkit.labels.busy")
			.functionCounters()
			.stream()
			.map((counter) -> counter.getId().getTag("value"))
			.toList();
	}

	private double busySeconds(String tenant) {
		FunctionCounter counter = this.registry.find("diagkit.labels.busy").tag("value", tenant).functionCounter();
		return (counter != null) ? counter.count() : 0;
	}

	private void start(String name, Runnable step) {
		this.threads.add(Work.loop(name, this.running, step));
	}

}
