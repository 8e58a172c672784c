package dev.diagkit.endpoint;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.diagkit.labels.LabelSet;
import dev.diagkit.labels.ProfilingLabels;
import dev.diagkit.testing.Waiting;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import static dev.diagkit.endpoint.StackDumpTestSupport.labelsNow;
import static dev.diagkit.endpoint.StackDumpTestSupport.onlyGroupWith;
import static dev.diagkit.endpoint.StackDumpTestSupport.stacks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link StackDump} with virtual threads (JDK 21+), started reflectively because the project
 * compiles for Java 17. They run when the build runs on a JDK 21+ (the {@code jdk21} profile).
 */
@Tag("jdk21")
@EnabledForJreRange(min = JRE.JAVA_21)
class StackDumpVirtualThreadTests {

	private static final LabelSet ACME = LabelSet.of("tenant", "acme");

	private static final LabelSet GLOBEX = LabelSet.of("tenant", "globex");

	private static final long BIG = 64L * 1024 * 1024;

	private static final int ROOT_THREADS = 60;

	private static final int EXECUTOR_THREADS = 30;

	private static final ThreadMXBean THREAD_MX_BEAN = ManagementFactory.getThreadMXBean();

	@Test
	void virtualThreadsAreGroupedByContainerAndStackWithTheirLabels() throws Exception {
		try (ParkedVirtualThreads parked = ParkedVirtualThreads.start()) {
			StackReport result = new StackReport(new StackDump(THREAD_MX_BEAN, labelsNow()).capture(true), BIG);

			assertThat(result.snapshot().virtualThreadsOmitted()).isNull();
			assertThat(result.snapshot().virtualThreadCount()).isGreaterThanOrEqualTo(ROOT_THREADS + EXECUTOR_THREADS);

			StackGroup root = onlyGroupWith(result, "parkInVirtualCheckout");
			assertThat(root.virtual()).isTrue();
			assertThat(root.container()).isEqualTo("<root>");
			assertThat(root.state()).isEqualTo(Thread.State.WAITING);
			assertThat(root.count()).isGreaterThanOrEqualTo(ROOT_THREADS);
			assertThat(root.threadIds()).containsAll(parked.ids(parked.rootThreads));
			assertThat(root.threadNames()).allSatisfy((name) -> assertThat(name).matches("#\\d+"));
			assertThat(root.labels()).containsExactly(new StackGroup.LabelCount(ACME, 20),
					new StackGroup.LabelCount(GLOBEX, 20));
			assertThat(root.unlabelled()).isEqualTo(20);
			assertThat(root.lock()).isNotNull();
			assertThat(root.lock().name()).startsWith("java.util.concurrent.CountDownLatch$Sync@");

			StackGroup executor = onlyGroupWith(result, "parkInVirtualInventory");
			assertThat(executor.virtual()).isTrue();
			assertThat(executor.container()).startsWith("java.util.concurrent.ThreadPerTaskExecutor@");
			assertThat(executor.count()).isGreaterThanOrEqualTo(EXECUTOR_THREADS);
			assertThat(executor.threadIds()).containsAll(parked.ids(parked.executorThreads));
			assertThat(executor.labels()).containsExactly(new StackGroup.LabelCount(ACME, EXECUTOR_THREADS));
			assertThat(executor.unlabelled()).isZero();

			Set<Long> virtualIds = parked.ids(parked.allThreads());
			assertThat(result.groups()).filteredOn((group) -> !group.virtual())
				.allSatisfy((group) -> assertThat(group.threadIds()).doesNotContainAnyElementsOf(virtualIds));

			String text = result.toText();
			assertThat(text).contains("\n\n" + ROOT_THREADS
					+ " virtual threads @ WAITING in <root> [tenant=acme (20), tenant=globex (20), no labels (20)]\n\"#");
			assertThat(text).contains(EXECUTOR_THREADS + " virtual threads @ WAITING in "
					+ "java.util.concurrent.ThreadPerTaskExecutor@");
			assertThat(text.lines().findFirst()).hasValueSatisfying(
					(first) -> assertThat(first).contains(" (" + result.snapshot().virtualThreadCount() + " virtual) in "));

			Map<String, Object> json = result.toJson();
			assertThat(json).containsEntry("virtualThreadCount", result.snapshot().virtualThreadCount())
				.doesNotContainKey("virtualThreadsOmitted");
			assertThat(stacks(json)).anySatisfy((stack) -> assertThat(stack).containsEntry("virtual", true)
				.containsEntry("container", "<root>")
				.containsEntry("count", root.count())
				.containsEntry("unlabelled", 20));
		}
	}

	@Test
	void ungroupedListsEveryVirtualThread() throws Exception {
		try (ParkedVirtualThreads parked = ParkedVirtualThreads.start()) {
			StackReport result = new StackReport(new StackDump(THREAD_MX_BEAN, labelsNow()).capture(false), BIG);

			Map<Long, StackGroup> byId = result.groups()
				.stream()
				.collect(Collectors.toMap((group) -> group.threadIds().get(0), (group) -> group));
			for (Thread thread : parked.allThreads()) {
				StackGroup entry = byId.get(thread.getId());
				assertThat(entry).as("virtual thread #%d", thread.getId()).isNotNull();
				assertThat(entry.virtual()).isTrue();
				assertThat(entry.count()).isOne();
				assertThat(entry.container()).isNotNull();
			}
			Thread first = parked.rootThreads.get(0);
			assertThat(result.toText()).contains("\n\n#" + first.getId() + " virtual @ WAITING in <root> [tenant=acme]\n");
		}
	}

	@Test
	void withoutJacksonVirtualThreadsAreLeftOutAndTheResultSaysSo() throws Exception {
		try (ParkedVirtualThreads parked = ParkedVirtualThreads.start()) {
			StackDump.Snapshot dump = new StackDump(THREAD_MX_BEAN, labelsNow(), VirtualThreadDump.create(false))
				.capture(true);
			StackReport result = new StackReport(dump, BIG);

			assertThat(result.snapshot().virtualThreadCount()).isZero();
			assertThat(result.groups()).noneMatch(StackGroup::virtual);
			assertThat(result.snapshot().virtualThreadsOmitted()).contains("Jackson");
			assertThat(result.toText()).contains("\nvirtual threads not included: reading the JDK's JSON thread dump "
					+ "needs Jackson (tools.jackson.core:jackson-databind) on the class path\n");
			assertThat(result.toJson()).containsEntry("virtualThreadsOmitted", result.snapshot().virtualThreadsOmitted());
		}
	}

	@Test
	void leavesNoTemporaryFileBehind() throws Exception {
		Set<Path> before = temporaryDumpDirectories();
		try (ParkedVirtualThreads parked = ParkedVirtualThreads.start()) {
			StackDump dump = new StackDump(THREAD_MX_BEAN, Map.of());
			for (int i = 0; i < 3; i++) {
				assertThat(dump.capture(true).virtualThreadCount()).isPositive();
			}
		}
		assertThat(temporaryDumpDirectories()).isSubsetOf(before);
	}

	private static Set<Path> temporaryDumpDirectories() throws IOException {
		try (Stream<Path> files = Files.list(Paths.get(System.getProperty("java.io.tmpdir")))) {
			return files.filter((path) -> path.getFileName().toString().startsWith("diagkit-stacks-"))
				.collect(Collectors.toSet());
		}
	}

	static void parkInVirtualCheckout(CountDownLatch release) {
		Waiting.parkUntilReleased(release);
	}

	static void parkInVirtualInventory(CountDownLatch release) {
		Waiting.parkUntilReleased(release);
	}

	/**
	 * Virtual threads parked until closed: 60 started with {@code Thread.startVirtualThread}
	 * (in the root container; a third {@code acme}, a third {@code globex}, a third
	 * unlabelled) and 30 {@code acme} tasks of a virtual-thread-per-task executor (in its own
	 * container).
	 */
	static final class ParkedVirtualThreads implements AutoCloseable {

		final CountDownLatch release = new CountDownLatch(1);

		final List<Thread> rootThreads = new ArrayList<>();

		final ConcurrentLinkedQueue<Thread> executorThreads = new ConcurrentLinkedQueue<>();

		final ExecutorService executor;

		private ParkedVirtualThreads() throws ReflectiveOperationException {
			this.executor = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor")
				.invoke(null);
		}

		static ParkedVirtualThreads start() throws Exception {
			ParkedVirtualThreads parked = new ParkedVirtualThreads();
			try {
				for (int i = 0; i < ROOT_THREADS; i++) {
					LabelSet labels = (i % 3 == 0) ? ACME : (i % 3 == 1) ? GLOBEX : LabelSet.empty();
					parked.rootThreads.add(startVirtualThread(
							() -> ProfilingLabels.run(labels, () -> parkInVirtualCheckout(parked.release))));
				}
				for (int i = 0; i < EXECUTOR_THREADS; i++) {
					parked.executor.execute(() -> {
						parked.executorThreads.add(Thread.currentThread());
						ProfilingLabels.run(ACME, () -> parkInVirtualInventory(parked.release));
					});
				}
				parked.awaitAllParked();
			}
			catch (Exception | Error ex) {
				parked.close();
				throw ex;
			}
			return parked;
		}

		private void awaitAllParked() {
			await().atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(10))
				.until(() -> this.executorThreads.size() == EXECUTOR_THREADS
						&& allThreads().stream().allMatch((thread) -> thread.getState() == Thread.State.WAITING));
		}

		List<Thread> allThreads() {
			List<Thread> all = new ArrayList<>(this.rootThreads);
			all.addAll(this.executorThreads);
			return all;
		}

		Set<Long> ids(Iterable<Thread> threads) {
			Set<Long> ids = new HashSet<>();
			threads.forEach((thread) -> ids.add(thread.getId()));
			return ids;
		}

		@Override
		public void close() throws InterruptedException {
			this.release.countDown();
			this.executor.shutdown();
			assertThat(this.executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
			for (Thread thread : this.rootThreads) {
				thread.join(10_000);
			}
			assertThat(this.rootThreads).noneMatch(Thread::isAlive);
		}

		private static Thread startVirtualThread(Runnable task) throws ReflectiveOperationException {
			return (Thread) Thread.class.getMethod("startVirtualThread", Runnable.class).invoke(null, task);
		}

	}

}
