package dev.diagkit.labels;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import dev.diagkit.testing.Waiting;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LabelTimelinesTests {

	private static final LabelSet ACME = LabelSet.of("tenant", "acme");

	private static final LabelSet GLOBEX = LabelSet.of("tenant", "globex");

	@Test
	void tellsWhichLabelsAThreadCarriedAtEachInstant() throws Exception {
		try (LabelTimelines timelines = LabelTimelines.start()) {
			AtomicLongArray at = new AtomicLongArray(5);
			CountDownLatch recorded = new CountDownLatch(1);
			CountDownLatch release = new CountDownLatch(1);
			Thread worker = new Thread(() -> {
				at.set(0, System.nanoTime());
				ProfilingLabels.run(ACME, () -> {
					at.set(1, System.nanoTime());
					ProfilingLabels.run(GLOBEX, () -> at.set(2, System.nanoTime()));
					at.set(3, System.nanoTime());
				});
				at.set(4, System.nanoTime());
				recorded.countDown();
				// alive while read (an ended thread is read too: see the test of ended threads)
				Waiting.parkUntilReleased(release);
			}, "timeline-test");
			worker.start();
			try {
				assertThat(recorded.await(10, TimeUnit.SECONDS)).isTrue();
				LabelTimelines.History history = timelines.read().get(worker.getId());
				assertThat(history).isNotNull();
				assertThat(history.changes()).isEqualTo(4);
				assertThat(history.labelsAt(at.get(0), 0)).isEqualTo(LabelSet.empty());
				assertThat(history.labelsAt(at.get(1), 1)).isEqualTo(ACME);
				assertThat(history.labelsAt(at.get(2), 2)).isEqualTo(GLOBEX);
				// leaving is not stamped: after entering globex, the depth alone places the instant
				assertThat(history.labelsAt(at.get(3), 1)).isEqualTo(ACME);
				assertThat(history.labelsAt(at.get(4), 0)).isEqualTo(LabelSet.empty());
			}
			finally {
				release.countDown();
				worker.join();
			}
		}
	}

	/**
	 * A request on a virtual thread of its own ends long before the profile of its time is
	 * joined: its label changes stay readable until every open reader has read them.
	 */
	@Test
	void anEndedThreadsChangesAreKeptUntilEveryOpenReaderHasReadThem() throws Exception {
		try (LabelTimelines first = LabelTimelines.start(); LabelTimelines second = LabelTimelines.start()) {
			AtomicLongArray at = new AtomicLongArray(1);
			Thread worker = new Thread(() -> ProfilingLabels.run(ACME, () -> at.set(0, System.nanoTime())),
					"ended-worker");
			worker.start();
			worker.join();
			LabelTimelines.History read = first.read().get(worker.getId());
			assertThat(read).as("read after the thread ended").isNotNull();
			assertThat(read.labelsAt(at.get(0), 1)).isEqualTo(ACME);
			LabelTimelines.History readLater = second.read().get(worker.getId());
			assertThat(readLater).as("kept for the reader that had not read it").isNotNull();
			assertThat(readLater.labelsAt(at.get(0), 1)).isEqualTo(ACME);
			first.read();
			second.read();
			assertThat(first.read()).as("forgotten once both have read it since it ended")
				.doesNotContainKey(worker.getId());
		}
	}

	@Test
	void anEndedThreadThatOnlyInheritedItsLabelsIsKeptToo() throws Exception {
		try (LabelTimelines timelines = LabelTimelines.start()) {
			Thread[] child = new Thread[1];
			ProfilingLabels.run(ACME, () -> {
				// binds on its first use of the labels, as any labelled work does
				child[0] = new Thread(() -> ProfilingLabels.current(), "inheriting-worker");
				child[0].start();
			});
			child[0].join();
			LabelTimelines.History read = timelines.read().get(child[0].getId());
			assertThat(read).as("read after the thread ended").isNotNull();
			assertThat(read.changes()).isZero();
			assertThat(read.labelsAt(System.nanoTime(), 0)).isEqualTo(ACME);
		}
	}

	@Test
	void aScopeLeftBeforeOneReadIsPlacedBySamplesOfTheNext() throws Exception {
		try (LabelTimelines timelines = LabelTimelines.start()) {
			AtomicLongArray at = new AtomicLongArray(2);
			CountDownLatch left = new CountDownLatch(1);
			CountDownLatch next = new CountDownLatch(1);
			CountDownLatch entered = new CountDownLatch(1);
			CountDownLatch release = new CountDownLatch(1);
			Thread worker = new Thread(() -> {
				ProfilingLabels.run(ACME, () -> at.set(0, System.nanoTime()));
				at.set(1, System.nanoTime());
				left.countDown();
				Waiting.parkUntilReleased(next);
				ProfilingLabels.run(GLOBEX, () -> {
					entered.countDown();
					Waiting.parkUntilReleased(release);
				});
			}, "timeline-reads");
			worker.start();
			try {
				assertThat(left.await(10, TimeUnit.SECONDS)).isTrue();
				LabelTimelines.History first = timelines.read().get(worker.getId());
				assertThat(first.changes()).isEqualTo(2);
				next.countDown();
				assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
				LabelTimelines.History second = timelines.read().get(worker.getId());
				assertThat(second.changes()).as("acme's two changes are not counted again").isEqualTo(1);
				// the read that first stamps a change after these instants answers for them
				assertThat(second.lastChange()).isGreaterThan(at.get(1));
				assertThat(second.labelsAt(at.get(0), 1)).isEqualTo(ACME);
				assertThat(second.labelsAt(at.get(1), 0)).isEqualTo(LabelSet.empty());
				assertThat(second.labelsAt(System.nanoTime(), 1)).isEqualTo(GLOBEX);
			}
			finally {
				next.countDown();
				release.countDown();
				worker.join();
			}
		}
	}

	@Test
	void afterUnstampedExitsEachDepthGetsTheScopeOpenAtIt() throws Exception {
		try (LabelTimelines timelines = LabelTimelines.start()) {
			CountDownLatch done = new CountDownLatch(1);
			CountDownLatch release = new CountDownLatch(1);
			Thread worker = new Thread(() -> {
				ProfilingLabels.run(ACME, () -> ProfilingLabels.run(GLOBEX, () -> {
				}));
				done.countDown();
				Waiting.parkUntilReleased(release);
			}, "timeline-short");
			worker.start();
			try {
				assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
				LabelTimelines.History history = timelines.read().get(worker.getId());
				long after = System.nanoTime();
				// both exits carry globex's entry time: only the depth tells the instants apart
				assertThat(history.labelsAt(after, 1)).isEqualTo(ACME);
				assertThat(history.labelsAt(after, 2)).isEqualTo(GLOBEX);
				assertThat(history.labelsAt(after, 3)).as("more frames than scopes: the newest stamped change")
					.isEqualTo(GLOBEX);
				assertThat(history.labelsAt(after, Integer.MAX_VALUE)).as("a stack cut short: the newest stamped change")
					.isEqualTo(GLOBEX);
			}
			finally {
				release.countDown();
				worker.join();
			}
		}
	}

	@Test
	void onlyTheFramesOfLexicalScopesCount() {
		String scopes = ProfilingLabels.class.getName();
		assertThat(LabelTimelines.isLexicalScopeFrame(scopes, "run")).isTrue();
		assertThat(LabelTimelines.isLexicalScopeFrame(scopes, "call")).isTrue();
		assertThat(LabelTimelines.isLexicalScopeFrame(scopes, "runExactly")).isTrue();
		assertThat(LabelTimelines.isLexicalScopeFrame(scopes, "callExactly")).isTrue();
		assertThat(LabelTimelines.isLexicalScopeFrame(scopes, "replace")).isFalse();
		assertThat(LabelTimelines.isLexicalScopeFrame(Thread.class.getName(), "run")).isFalse();
	}

	@Test
	void eachLexicalScopeKeepsOneFrameOnTheStack() {
		// an overload delegating to another would put two frames on the stack for one scope
		List<String> names = Arrays.stream(ProfilingLabels.class.getDeclaredMethods())
			.map(Method::getName)
			.filter((name) -> LabelTimelines.isLexicalScopeFrame(ProfilingLabels.class.getName(), name))
			.sorted()
			.toList();
		assertThat(names).containsExactly("call", "callExactly", "run", "runExactly");
	}

	@Test
	void aScopeEnteredWhileNothingRecordedIsKnownUntilAndAfterItEnds() throws Exception {
		AtomicLongArray at = new AtomicLongArray(2);
		CountDownLatch leftAcme = new CountDownLatch(1);
		CountDownLatch earlierClosed = new CountDownLatch(1);
		CountDownLatch inGlobex = new CountDownLatch(1);
		CountDownLatch recording = new CountDownLatch(1);
		CountDownLatch leftGlobex = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		Thread worker = new Thread(() -> {
			ProfilingLabels.run(ACME, () -> {
			});
			leftAcme.countDown();
			Waiting.parkUntilReleased(earlierClosed);
			ProfilingLabels.run(GLOBEX, () -> {
				inGlobex.countDown();
				Waiting.parkUntilReleased(recording);
				at.set(0, System.nanoTime());
			});
			at.set(1, System.nanoTime());
			leftGlobex.countDown();
			Waiting.parkUntilReleased(release);
		}, "timeline-restart");
		try {
			// an earlier recording saw the thread leave acme; then nothing recorded its entering globex
			try (LabelTimelines earlier = LabelTimelines.start()) {
				worker.start();
				assertThat(leftAcme.await(10, TimeUnit.SECONDS)).isTrue();
			}
			earlierClosed.countDown();
			assertThat(inGlobex.await(10, TimeUnit.SECONDS)).isTrue();
			try (LabelTimelines timelines = LabelTimelines.start()) {
				LabelTimelines.History quiet = timelines.read().get(worker.getId());
				assertThat(quiet.labelsAt(System.nanoTime(), 1)).as("not what the earlier recording saw last")
					.isEqualTo(GLOBEX);
				recording.countDown();
				assertThat(leftGlobex.await(10, TimeUnit.SECONDS)).isTrue();
				LabelTimelines.History history = timelines.read().get(worker.getId());
				assertThat(history.changes()).isEqualTo(1);
				assertThat(history.labelsAt(at.get(0), 1)).isEqualTo(GLOBEX);
				assertThat(history.labelsAt(at.get(1), 0)).isEqualTo(LabelSet.empty());
			}
		}
		finally {
			earlierClosed.countDown();
			recording.countDown();
			release.countDown();
			worker.join();
		}
	}

	@Test
	void eachReadSeesTheChangesSinceThePreviousOneAndKnowsWhereTheThreadStood() throws Exception {
		try (LabelTimelines timelines = LabelTimelines.start()) {
			CountDownLatch entered = new CountDownLatch(1);
			CountDownLatch release = new CountDownLatch(1);
			Thread worker = new Thread(() -> ProfilingLabels.run(ACME, () -> {
				entered.countDown();
				Waiting.parkUntilReleased(release);
			}), "timeline-hold");
			worker.start();
			assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
			assertThat(timelines.read().get(worker.getId()).changes()).isEqualTo(1);
			LabelTimelines.History quiet = timelines.read().get(worker.getId());
			assertThat(quiet.changes()).isZero();
			assertThat(quiet.labelsAt(System.nanoTime(), 1)).as("no change since: still acme").isEqualTo(ACME);
			release.countDown();
			worker.join();
		}
	}

	@Test
	void aThreadThatChangesMoreThanARingHoldsBetweenReadsShowsAGap() throws Exception {
		try (LabelTimelines timelines = LabelTimelines.start()) {
			AtomicLong id = new AtomicLong();
			CountDownLatch first = new CountDownLatch(1);
			CountDownLatch go = new CountDownLatch(1);
			CountDownLatch done = new CountDownLatch(1);
			CountDownLatch release = new CountDownLatch(1);
			Thread worker = new Thread(() -> {
				id.set(Thread.currentThread().getId());
				ProfilingLabels.run(ACME, () -> {
				});
				first.countDown();
				Waiting.parkUntilReleased(go);
				for (int i = 0; i < LabelTimeline.CAPACITY * 3; i++) {
					ProfilingLabels.run(GLOBEX, () -> {
					});
				}
				done.countDown();
				Waiting.parkUntilReleased(release);
			});
			worker.start();
			try {
				assertThat(first.await(5, TimeUnit.SECONDS)).isTrue();
				Map<Long, LabelTimelines.History> before = timelines.read();
				assertThat(before.get(id.get()).gap()).isFalse();
				go.countDown();
				assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
				LabelTimelines.History after = timelines.read().get(id.get());
				assertThat(after.gap()).isTrue();
				assertThat(after.changes()).isEqualTo(LabelTimeline.CAPACITY);
			}
			finally {
				go.countDown();
				release.countDown();
				worker.join();
			}
		}
	}

	@Test
	void readsWhileTheThreadWritesCountEveryChangeOnceAndOnlyKnownLabels() throws Exception {
		LabelSet acmeThenGlobex = ACME.with(GLOBEX);
		try (LabelTimelines timelines = LabelTimelines.start()) {
			AtomicLong id = new AtomicLong();
			AtomicLong rounds = new AtomicLong();
			AtomicLong reads = new AtomicLong();
			AtomicBoolean running = new AtomicBoolean(true);
			CountDownLatch stopped = new CountDownLatch(1);
			CountDownLatch release = new CountDownLatch(1);
			Thread worker = new Thread(() -> {
				id.set(Thread.currentThread().getId());
				while (running.get()) {
					// four changes per round, two of them unstamped; a batch fits in the ring
					// however long the reader is descheduled, and reads run during it
					for (int i = 0; i < LabelTimeline.CAPACITY / 16; i++) {
						ProfilingLabels.run(ACME, () -> ProfilingLabels.run(GLOBEX, () -> spin(1_000)));
						rounds.incrementAndGet();
						spin(1_000);
					}
					// a read that began before the batch ended may have missed its end: wait for two
					long readsWanted = reads.get() + 2;
					while (reads.get() < readsWanted && running.get()) {
						Thread.onSpinWait();
					}
				}
				stopped.countDown();
				Waiting.parkUntilReleased(release);
			}, "timeline-concurrent");
			worker.start();
			try {
				long changes = 0;
				boolean gap = false;
				long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
				while (System.nanoTime() < deadline || stopped.getCount() > 0) {
					if (System.nanoTime() >= deadline) {
						running.set(false);
					}
					LabelTimelines.History history = timelines.read().get(id.get());
					reads.incrementAndGet();
					if (history == null) {
						continue;
					}
					changes += history.changes();
					gap |= history.gap();
					long at = System.nanoTime();
					for (int depth = 0; depth <= 3; depth++) {
						assertThat(history.labelsAt(at, depth)).isIn(LabelSet.empty(), ACME, acmeThenGlobex);
					}
				}
				LabelTimelines.History last = timelines.read().get(id.get());
				changes += last.changes();
				assertThat(gap).as("the reader kept up").isFalse();
				assertThat(rounds.get()).isGreaterThan(100);
				assertThat(changes).as("changes read, over %d rounds", rounds.get()).isEqualTo(4 * rounds.get());
				assertThat(last.labelsAt(System.nanoTime(), 0)).isEqualTo(LabelSet.empty());
			}
			finally {
				running.set(false);
				release.countDown();
				worker.join();
			}
		}
	}

	private static void spin(long nanos) {
		long end = System.nanoTime() + nanos;
		while (System.nanoTime() < end) {
			Thread.onSpinWait();
		}
	}

	@Test
	void ringsStartSmallAndGrowOnlyForBusyThreads() throws Exception {
		try (LabelTimelines timelines = LabelTimelines.start()) {
			AtomicIntegerArray capacities = new AtomicIntegerArray(2);
			Thread quiet = new Thread(() -> {
				ProfilingLabels.run(ACME, () -> ProfilingLabels.run(GLOBEX, () -> {
				}));
				capacities.set(0, ThreadLabelState.current().timeline().capacity());
			});
			Thread busy = new Thread(() -> {
				for (int i = 0; i < 1000; i++) {
					ProfilingLabels.run(ACME, () -> {
					});
				}
				capacities.set(1, ThreadLabelState.current().timeline().capacity());
			});
			quiet.start();
			busy.start();
			quiet.join();
			busy.join();
			assertThat(capacities.get(0)).isEqualTo(LabelTimeline.INITIAL_CAPACITY);
			assertThat(capacities.get(1)).isEqualTo(2048);
		}
	}

	@Test
	void changesSurviveTheRingGrowingBetweenReads() throws Exception {
		try (LabelTimelines timelines = LabelTimelines.start()) {
			CountDownLatch done = new CountDownLatch(1);
			CountDownLatch release = new CountDownLatch(1);
			Thread worker = new Thread(() -> {
				for (int i = 0; i < 100; i++) {
					ProfilingLabels.run((i % 2 == 0) ? ACME : GLOBEX, () -> {
					});
				}
				done.countDown();
				Waiting.parkUntilReleased(release);
			});
			worker.start();
			assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
			LabelTimelines.History history = timelines.read().get(worker.getId());
			assertThat(history.changes()).isEqualTo(200);
			assertThat(history.gap()).isFalse();
			release.countDown();
			worker.join();
		}
	}

	@Test
	void nothingIsRecordedWhileNoReaderIsOpen() throws Exception {
		CountDownLatch changed = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		Thread worker = new Thread(() -> {
			ProfilingLabels.run(ACME, () -> {
			});
			ProfilingLabels.run(GLOBEX, () -> {
				changed.countDown();
				Waiting.parkUntilReleased(release);
			});
		}, "timeline-off");
		worker.start();
		assertThat(changed.await(5, TimeUnit.SECONDS)).isTrue();
		try (LabelTimelines timelines = LabelTimelines.start()) {
			LabelTimelines.History history = timelines.read().get(worker.getId());
			assertThat(history.changes()).isZero();
			assertThat(history.labelsAt(System.nanoTime(), 1)).isEqualTo(GLOBEX);
		}
		finally {
			release.countDown();
			worker.join();
		}
	}

}
