package dev.diagkit.profiling;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.diagkit.testing.Work;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real lock profile of one contended monitor in a process with twenty pools that wake up
 * for small tasks and wait for the next one the rest of the time: the pools' waits are
 * idleness, not contention, and by default the profile leaves them out and says how many.
 */
class LockProfileIdlePoolsTests {

	private final ProfileRecorder recorder = new ProfileRecorder(new SamplingSettings(
			new SamplingSettings.Values(Duration.ofMillis(10), 500, Duration.ofMillis(1))));

	private final List<ExecutorService> pools = new ArrayList<>();

	private final AtomicBoolean running = new AtomicBoolean(true);

	private final List<Thread> threads = new ArrayList<>();

	static volatile long sink;

	@AfterEach
	void stop() throws InterruptedException {
		this.running.set(false);
		for (ExecutorService pool : this.pools) {
			pool.shutdownNow();
			pool.awaitTermination(5, TimeUnit.SECONDS);
		}
		for (Thread thread : this.threads) {
			thread.join(5000);
		}
		this.recorder.close();
	}

	@Test
	void lockProfileIsTheContendedMonitorAndNotIdlePools() throws Exception {
		startIdlePools();
		Object monitor = new Object();
		for (int i = 0; i < 4; i++) {
			start("contender-" + i, () -> contendOnMonitor(monitor));
		}
		Profile contention = this.recorder.record(ProfileType.LOCK, Duration.ofSeconds(3), (labels) -> true, false,
				false);
		Profile everything = this.recorder.record(ProfileType.LOCK, Duration.ofSeconds(3), (labels) -> true, false,
				true);
		assertThat(delayShare(contention, "contendOnMonitor")).as("contended share of %s; the rest: %s",
				contention.notes(), others(contention, "contendOnMonitor"))
			.isGreaterThanOrEqualTo(0.9);
		assertThat(contention.notes()).anyMatch((note) -> note.matches("\\d+ waits of idle pool workers .* left out.*"));
		assertThat(delayShare(contention, "getTask") + delayShare(contention, "awaitWork")).isZero();
		// kept on request: then they are most of the delay, which is what misled
		assertThat(delayShare(everything, "getTask") + delayShare(everything, "awaitWork"))
			.as("idle share with idle=true").isGreaterThan(0.5);
		assertThat(everything.notes()).noneMatch((note) -> note.contains("idle pool workers"));
	}

	/** Twenty pools of the usual kinds, woken every 20 ms for a task that takes no time. */
	private void startIdlePools() {
		List<ExecutorService> woken = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			woken.add(track(Executors.newFixedThreadPool(2)));
			woken.add(track(Executors.newCachedThreadPool()));
			woken.add(track(new ForkJoinPool(2)));
			ScheduledExecutorService scheduled = track(Executors.newScheduledThreadPool(1));
			scheduled.scheduleAtFixedRate(() -> sink++, 0, 20, TimeUnit.MILLISECONDS);
		}
		start("pool-waker", () -> {
			for (ExecutorService pool : woken) {
				pool.execute(() -> sink++);
			}
			sleep(20);
		});
	}

	private <T extends ExecutorService> T track(T pool) {
		this.pools.add(pool);
		return pool;
	}

	private void start(String name, Runnable step) {
		this.threads.add(Work.loop(name, this.running, step));
	}

	/** Holds the monitor for about 2 ms of CPU, so the others queue on it. */
	private static void contendOnMonitor(Object monitor) {
		synchronized (monitor) {
			long until = System.nanoTime() + 2_000_000;
			while (System.nanoTime() < until) {
				sink++;
			}
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** The top frames of the samples outside {@code method}, for a failure's message. */
	private static List<String> others(Profile profile, String method) {
		return profile.samples()
			.stream()
			.filter((sample) -> sample.stack().stream().noneMatch((frame) -> frame.methodName().equals(method)))
			.map((sample) -> sample.value(1) / 1_000_000 + " ms " + sample.stack()
				.stream()
				.limit(8)
				.map((frame) -> frame.className() + "." + frame.methodName())
				.toList())
			.toList();
	}

	private static double delayShare(Profile profile, String method) {
		long total = 0;
		long matching = 0;
		for (Profile.Sample sample : profile.samples()) {
			total += sample.value(1);
			if (sample.stack().stream().anyMatch((frame) -> frame.methodName().equals(method))) {
				matching += sample.value(1);
			}
		}
		assertThat(total).as("delay recorded").isPositive();
		return (double) matching / total;
	}

}
