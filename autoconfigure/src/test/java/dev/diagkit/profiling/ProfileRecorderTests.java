package dev.diagkit.profiling;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import dev.diagkit.labels.LabelSet;
import dev.diagkit.labels.ProfilingLabels;
import dev.diagkit.testing.Work;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
		AtomicInteger scopesRun = new AtomicInteger();
		Thread[] workers = new Thread[2];
		for (int w = 0; w < workers.length; w++) {
			workers[w] = new Thread(() -> {
				int scope = 0;
				while (running.get()) {
					// three scopes of acme for one of globex, each 5 to 10 ms of CPU, same code
					LabelSet labels = (scope++ % 4 == 3) ? GLOBEX : ACME;
					long start = threads.getCurrentThreadCpuTime();
					Duration cpu = Duration.ofMillis(5 + (System.nanoTime() & 5));
					ProfilingLabels.run(labels, () -> sink += Work.burnCpuTime(cpu));
					scopesRun.incrementAndGet();
					if (measuring.get()) {
						trueCpu.computeIfAbsent(labels.get("tenant"), (k) -> new AtomicLong())
							.addAndGet(threads.getCurrentThreadCpuTime() - start);
					}
				}
			}, "accuracy-worker-" + w);
			workers[w].start();
		}
		try {
			// the burn loop compiled, both workers under way
			await().atMost(Duration.ofSeconds(30)).until(() -> scopesRun.get() >= 40);
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

	/**
	 * Leaving a scope is not stamped with the clock: the CPU a thread spends after leaving,
	 * unlabelled or back in an outer scope, must still not be given to the scope it left.
	 */
	@Test
	void cpuAfterLeavingAScopeGoesToWhatTheThreadCarriesNext() throws Exception {
		TrueCpu truth = new TrueCpu();
		Profile profile = profileWhileRepeating("leaving-worker", () -> {
			// acme, globex inside it, acme again, then nothing: each 3 to 7 ms of CPU
			ProfilingLabels.run(ACME, () -> {
				truth.burnIn("acme");
				ProfilingLabels.run(GLOBEX, () -> truth.burnIn("globex"));
				truth.burnIn("acme");
			});
			truth.burnIn("none");
		}, truth);
		assertThat(burnSamplesByTenant(profile)).as("samples by tenant").containsOnlyKeys("acme", "globex", "none");
		assertSharesMatch(profile, truth, List.of("acme", "globex", "none"));
	}

	/**
	 * JFR keeps the innermost frames of a deep stack and drops the outer ones, where the label
	 * scopes are: CPU spent deep inside a scope must still go to it.
	 */
	@Test
	void cpuDeepInsideAScopeGoesToItWhenJfrCutsTheStackShort() throws Exception {
		TrueCpu truth = new TrueCpu();
		Profile profile = profileWhileRepeating("deep-worker", () -> {
			// more frames than JFR's default stack depth of 64 between the scope and the work
			ProfilingLabels.run(ACME, () -> deep(100, () -> truth.burnIn("acme")));
			truth.burnIn("none");
		}, truth);
		long total = 0;
		long truncated = 0;
		for (Profile.Sample sample : profile.samples()) {
			if (sample.stack().stream().anyMatch((frame) -> frame.methodName().equals("burnIn"))) {
				total += sample.value(0);
				if (sample.stack()
					.stream()
					.noneMatch((frame) -> frame.className().equals(ProfilingLabels.class.getName()))) {
					truncated += sample.value(0);
				}
			}
		}
		assertThat(truncated).as("samples whose stack lost the scope's frame").isGreaterThan(total / 4);
		assertSharesMatch(profile, truth, List.of("acme", "none"));
	}

	/**
	 * Repeats {@code round} on two threads of their own until it is compiled, then records a
	 * CPU profile of 8 s while {@code truth} measures: about 800 samples, so that a share is
	 * known to about 2 points (one thread for 4 s left it to 4).
	 */
	private Profile profileWhileRepeating(String threadName, Runnable round, TrueCpu truth) throws Exception {
		AtomicBoolean running = new AtomicBoolean(true);
		AtomicInteger rounds = new AtomicInteger();
		Thread[] workers = new Thread[2];
		for (int w = 0; w < workers.length; w++) {
			workers[w] = new Thread(() -> {
				while (running.get()) {
					round.run();
					rounds.incrementAndGet();
				}
			}, threadName + "-" + w);
			workers[w].start();
		}
		try {
			await().atMost(Duration.ofSeconds(30)).until(() -> rounds.get() >= 40);
			truth.measuring = true;
			Profile profile = this.recorder.record(ProfileType.CPU, Duration.ofSeconds(8), (labels) -> true);
			truth.measuring = false;
			return profile;
		}
		finally {
			running.set(false);
			for (Thread worker : workers) {
				worker.join(5000);
			}
		}
	}

	/** The CPU value of the samples in {@link TrueCpu#burnIn}, by tenant ("none" for no tenant). */
	private static Map<String, Long> burnSamplesByTenant(Profile profile) {
		Map<String, Long> samples = new ConcurrentHashMap<>();
		for (Profile.Sample sample : profile.samples()) {
			if (sample.stack().stream().anyMatch((frame) -> frame.methodName().equals("burnIn"))) {
				String tenant = sample.labels().get("tenant");
				samples.merge((tenant != null) ? tenant : "none", sample.value(0), Long::sum);
			}
		}
		return samples;
	}

	/**
	 * Each tenant's share of the profile is within 6 points of its share of the true CPU time:
	 * three times what sampling alone spreads it by. Misplacing the end of a scope moves a
	 * share by 25 points or more.
	 */
	private static void assertSharesMatch(Profile profile, TrueCpu truth, List<String> tenants) {
		Map<String, Long> samples = burnSamplesByTenant(profile);
		long total = samples.values().stream().mapToLong(Long::longValue).sum();
		assertThat(total).as("samples of the workers").isGreaterThan(400);
		for (String tenant : tenants) {
			double profileShare = (double) samples.getOrDefault(tenant, 0L) / total;
			double trueShare = (double) truth.of(tenant) / truth.total();
			assertThat(Math.abs(profileShare - trueShare)).as("%s share: profile %.3f, true %.3f (%s)", tenant,
					profileShare, trueShare, profile.notes()).isLessThan(0.06);
		}
	}

	private static void deep(int frames, Runnable work) {
		if (frames == 0) {
			work.run();
		}
		else {
			deep(frames - 1, work);
		}
	}

	/** The CPU time a thread really spent per tenant, from {@link ThreadMXBean}. */
	private static final class TrueCpu {

		private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

		private final Map<String, AtomicLong> byTenant = new ConcurrentHashMap<>();

		volatile boolean measuring;

		void burnIn(String tenant) {
			long start = this.threads.getCurrentThreadCpuTime();
			// 2 to 8 ms, not a few fixed lengths a sampling period could fall in step with
			sink += Work.burnCpuTime(Duration.ofNanos(2_000_000 + ThreadLocalRandom.current().nextLong(6_000_000)));
			if (this.measuring) {
				this.byTenant.computeIfAbsent(tenant, (k) -> new AtomicLong())
					.addAndGet(this.threads.getCurrentThreadCpuTime() - start);
			}
		}

		long of(String tenant) {
			AtomicLong cpu = this.byTenant.get(tenant);
			return (cpu != null) ? cpu.get() : 0;
		}

		long total() {
			return this.byTenant.values().stream().mapToLong(AtomicLong::get).sum();
		}

	}

	@Test
	void allocationAndLockProfilesGiveEachSampleTheLabelsOfTheThreadThatMadeIt() throws Exception {
		AtomicBoolean running = new AtomicBoolean(true);
		Object acmeLock = new Object();
		Object globexLock = new Object();
		Thread[] threads = { labelled(ACME, running, () -> sink += allocateForAcme().length),
				labelled(GLOBEX, running, () -> sink += allocateForGlobex().length),
				labelled(ACME, running, () -> contendForAcme(acmeLock)),
				labelled(GLOBEX, running, () -> contendForGlobex(globexLock)),
				labelled(LabelSet.empty(), running, () -> hold(acmeLock)),
				labelled(LabelSet.empty(), running, () -> hold(globexLock)) };
		try {
			Profile alloc = this.recorder.record(ProfileType.ALLOC, Duration.ofSeconds(2), (labels) -> true);
			assertAttributed(alloc, "allocateForAcme", "allocateForGlobex");
			Profile acmeOnly = this.recorder.record(ProfileType.ALLOC, Duration.ofSeconds(1), ACME::equals);
			assertThat(acmeOnly.samples()).isNotEmpty()
				.allSatisfy((sample) -> assertThat(sample.labels()).isEqualTo(ACME))
				.noneSatisfy((sample) -> assertThat(sample.stack())
					.anyMatch((frame) -> frame.methodName().equals("allocateForGlobex")));
			Profile locks = this.recorder.record(ProfileType.LOCK, Duration.ofSeconds(2), (labels) -> true);
			assertAttributed(locks, "contendForAcme", "contendForGlobex");
			assertThat(locks.samples()).allSatisfy(
					(sample) -> assertThat(sample.value(1)).as("delay in nanoseconds").isPositive());
		}
		finally {
			running.set(false);
			for (Thread thread : threads) {
				thread.join(5000);
			}
		}
		assertThat(this.recorder.running()).isZero();
	}

	/**
	 * On JDK 25 only in the shared test JVM: JDK 17 starts the old-object sampler only when the
	 * JVM's first JFR recording enabled it ({@code LiveHeapChildJvmTests} covers JDK 17).
	 */
	@Test
	@Tag("jdk21")
	void liveProfileKeepsObjectsStillHeldWithTheLabelsOfTheThreadThatAllocatedThem() throws Exception {
		AtomicBoolean running = new AtomicBoolean(true);
		List<byte[]> held = new ArrayList<>();
		Thread[] threads = { labelled(ACME, running, () -> retainForAcme(held)),
				labelled(GLOBEX, running, () -> sink += allocateForGlobex().length) };
		Thread collector = new Thread(() -> {
			try {
				Thread.sleep(1500);
				System.gc();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		try {
			collector.start();
			Profile live = this.recorder.record(ProfileType.LIVE, Duration.ofSeconds(2), (labels) -> true);
			long acme = 0;
			long globex = 0;
			for (Profile.Sample sample : live.samples()) {
				if (sample.stack().stream().anyMatch((frame) -> frame.methodName().equals("retainForAcme"))) {
					assertThat(sample.labels()).as("labels of a held object (%s)", live.notes()).isEqualTo(ACME);
					acme += sample.value(0);
					if (Runtime.version().feature() >= 18) {
						assertThat(sample.value(1)).as("bytes of a held 64 KiB array").isGreaterThanOrEqualTo(65536);
					}
				}
				if (sample.stack().stream().anyMatch((frame) -> frame.methodName().equals("allocateForGlobex"))) {
					globex += sample.value(0);
				}
			}
			assertThat(acme).as("held objects sampled (%s)", live.notes()).isGreaterThan(5);
			assertThat(globex).as("garbage still listed after a GC, against %d held", acme).isLessThan(acme);
			assertThat(live.notes()).anyMatch((note) -> note.contains("old-object sampler"));
		}
		finally {
			running.set(false);
			for (Thread thread : threads) {
				thread.join(5000);
			}
			collector.join(5000);
		}
	}

	private static void retainForAcme(List<byte[]> held) {
		synchronized (held) {
			// about 64 MB at most, so a held array is never lost to an OutOfMemoryError
			if (held.size() < 1000) {
				held.add(new byte[64 * 1024]);
			}
		}
		LockSupport.parkNanos(1_000_000);
	}

	/**
	 * Every sample taken in the acme method carries acme and every one in the globex method
	 * carries globex, and both tenants have samples: swapped, shared or missing labels fail.
	 */
	private static void assertAttributed(Profile profile, String acmeMethod, String globexMethod) {
		Map<String, Long> samplesByTenant = new ConcurrentHashMap<>();
		for (Profile.Sample sample : profile.samples()) {
			boolean acme = sample.stack().stream().anyMatch((frame) -> frame.methodName().equals(acmeMethod));
			boolean globex = sample.stack().stream().anyMatch((frame) -> frame.methodName().equals(globexMethod));
			if (acme || globex) {
				assertThat(sample.labels()).as("labels of a sample in %s (%s)", acme ? acmeMethod : globexMethod,
						profile.notes()).isEqualTo(acme ? ACME : GLOBEX);
				samplesByTenant.merge(sample.labels().get("tenant"), 1L, Long::sum);
			}
		}
		assertThat(samplesByTenant).as("samples per tenant (%s)", profile.notes()).containsOnlyKeys("acme", "globex");
	}

	private static Thread labelled(LabelSet labels, AtomicBoolean running, Runnable step) {
		Thread thread = new Thread(() -> ProfilingLabels.run(labels, () -> {
			while (running.get()) {
				step.run();
			}
		}), "profiled-" + labels);
		thread.start();
		return thread;
	}

	private static long[] allocateForAcme() {
		long[] order = new long[256];
		order[0] = System.nanoTime();
		return order;
	}

	private static long[] allocateForGlobex() {
		long[] order = new long[512];
		order[0] = System.nanoTime();
		return order;
	}

	private static void contendForAcme(Object lock) {
		synchronized (lock) {
			LockSupport.parkNanos(2_000_000);
		}
	}

	private static void contendForGlobex(Object lock) {
		synchronized (lock) {
			LockSupport.parkNanos(2_000_000);
		}
	}

	private static void hold(Object lock) {
		synchronized (lock) {
			LockSupport.parkNanos(5_000_000);
		}
		Thread.onSpinWait();
	}

	private static long cpu(Profile profile, String tenant) {
		return profile.samples()
			.stream()
			.filter((sample) -> tenant.equals(sample.labels().get("tenant")))
			.filter((sample) -> sample.stack()
				.stream()
				.anyMatch((frame) -> frame.methodName().equals("burnCpuTime")))
			.mapToLong((sample) -> sample.value(0))
			.sum();
	}

}
