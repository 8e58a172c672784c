package dev.diagkit.profiling;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import dev.diagkit.labels.LabelSet;
import dev.diagkit.labels.ProfilingLabels;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real JFR recordings of real threads: the labels a profile gives its samples match what the
 * threads really did under those labels.
 */
class ProfileRecorderTests {

	private static final LabelSet ACME = LabelSet.of("tenant", "acme");

	private static final LabelSet GLOBEX = LabelSet.of("tenant", "globex");

	private final ProfileRecorder recorder = new ProfileRecorder(new SamplingSettings(
			new SamplingSettings.Values(Duration.ofMillis(10), 500, Duration.ofMillis(1))));

	static volatile long sink;

	@Test
	void cpuSharesPerLabelMatchTheThreadsTrueCpuTimeWithinFivePoints() throws Exception {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		Map<String, AtomicLong> trueCpu = new ConcurrentHashMap<>();
		AtomicBoolean running = new AtomicBoolean(true);
		AtomicBoolean measuring = new AtomicBoolean(false);
		Thread[] workers = new Thread[2];
		for (int w = 0; w < workers.length; w++) {
			workers[w] = new Thread(() -> {
				int scope = 0;
				while (running.get()) {
					// three scopes of acme for one of globex, each 5 to 10 ms of CPU, same code
					LabelSet labels = (scope++ % 4 == 3) ? GLOBEX : ACME;
					long start = threads.getCurrentThreadCpuTime();
					ProfilingLabels.run(labels, () -> burn(5 + (System.nanoTime() & 5)));
					if (measuring.get()) {
						trueCpu.computeIfAbsent(labels.get("tenant"), (k) -> new AtomicLong())
							.addAndGet(threads.getCurrentThreadCpuTime() - start);
					}
				}
			}, "accuracy-worker-" + w);
			workers[w].start();
		}
		try {
			Thread.sleep(500);
			measuring.set(true);
			Profile profile = this.recorder.record(ProfileType.CPU, Duration.ofSeconds(4), (labels) -> true);
			measuring.set(false);
			long acmeSamples = cpu(profile, "acme");
			long globexSamples = cpu(profile, "globex");
			assertThat(acmeSamples + globexSamples).as("samples under the two tenants").isGreaterThan(100);
			double profileShare = (double) acmeSamples / (acmeSamples + globexSamples);
			double trueShare = (double) trueCpu.get("acme").get() / (trueCpu.get("acme").get() + trueCpu.get("globex").get());
			assertThat(Math.abs(profileShare - trueShare)).as("acme share: profile %.3f, true %.3f (%s)",
					profileShare, trueShare, profile.notes()).isLessThan(0.05);
		}
		finally {
			running.set(false);
			for (Thread worker : workers) {
				worker.join(5000);
			}
		}
	}

	@Test
	void allocationAndLockProfilesCarryTheLabelsOfTheirThreads() throws Exception {
		AtomicBoolean running = new AtomicBoolean(true);
		Object lock = new Object();
		CountDownLatch started = new CountDownLatch(2);
		Thread allocator = new Thread(() -> ProfilingLabels.run(ACME, () -> {
			started.countDown();
			while (running.get()) {
				sink += allocateOrders().length;
			}
		}), "alloc-worker");
		Thread contender = new Thread(() -> ProfilingLabels.run(GLOBEX, () -> {
			started.countDown();
			while (running.get()) {
				synchronized (lock) {
					LockSupport.parkNanos(2_000_000);
				}
			}
		}), "lock-worker");
		Thread holder = new Thread(() -> {
			while (running.get()) {
				synchronized (lock) {
					LockSupport.parkNanos(5_000_000);
				}
				Thread.onSpinWait();
			}
		}, "lock-holder");
		allocator.start();
		contender.start();
		holder.start();
		try {
			started.await(5, TimeUnit.SECONDS);
			Profile alloc = this.recorder.record(ProfileType.ALLOC, Duration.ofSeconds(2), ACME::equals);
			assertThat(alloc.samples()).isNotEmpty();
			assertThat(alloc.samples()).allSatisfy((sample) -> assertThat(sample.labels()).isEqualTo(ACME));
			assertThat(alloc.samples()).anySatisfy((sample) -> assertThat(sample.stack())
				.anyMatch((frame) -> frame.methodName().equals("allocateOrders")));
			Profile locks = this.recorder.record(ProfileType.LOCK, Duration.ofSeconds(2), (labels) -> true);
			assertThat(locks.samples()).anySatisfy((sample) -> {
				assertThat(sample.labels()).isEqualTo(GLOBEX);
				assertThat(sample.value(1)).as("delay in nanoseconds").isPositive();
			});
		}
		finally {
			running.set(false);
			allocator.join(5000);
			contender.join(5000);
			holder.join(5000);
		}
		assertThat(this.recorder.running()).isZero();
	}

	private static long[] allocateOrders() {
		long[] order = new long[256];
		order[0] = System.nanoTime();
		return order;
	}

	private static long cpu(Profile profile, String tenant) {
		return profile.samples()
			.stream()
			.filter((sample) -> tenant.equals(sample.labels().get("tenant")))
			.filter((sample) -> sample.stack().stream().anyMatch((frame) -> frame.methodName().equals("burn")))
			.mapToLong((sample) -> sample.value(0))
			.sum();
	}

	private static void burn(long millis) {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		long until = threads.getCurrentThreadCpuTime() + millis * 1_000_000;
		long x = 0;
		while (threads.getCurrentThreadCpuTime() < until) {
			for (int i = 0; i < 10_000; i++) {
				x += Long.numberOfTrailingZeros(x + i);
			}
		}
		sink += x;
	}

}
