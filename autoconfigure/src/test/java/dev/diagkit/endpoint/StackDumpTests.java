package dev.diagkit.endpoint;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.diagkit.labels.LabelSet;
import dev.diagkit.labels.ProfilingLabels;
import dev.diagkit.testing.Waiting;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import tools.jackson.databind.json.JsonMapper;

import static dev.diagkit.endpoint.StackDumpTestSupport.labelsNow;
import static dev.diagkit.endpoint.StackDumpTestSupport.onlyGroupWith;
import static dev.diagkit.endpoint.StackDumpTestSupport.stacks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * {@link StackDump} over 2,000 real platform threads parked in three recognisable stacks,
 * some of them under labels.
 */
class StackDumpTests {

	private static final LabelSet ACME = LabelSet.of("tenant", "acme");

	private static final LabelSet GLOBEX = LabelSet.of("tenant", "globex");

	private static final long BIG = 64L * 1024 * 1024;

	private static final int CHECKOUT = 1000;

	private static final int INVENTORY = 700;

	private static final int SHIPPING = 300;

	private static final ThreadMXBean THREAD_MX_BEAN = ManagementFactory.getThreadMXBean();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Test
	void groupsThreadsByStackWithTheirNamesAndLabels() throws Exception {
		try (ParkedThreads parked = ParkedThreads.start()) {
			StackReport result = new StackReport(new StackDump(THREAD_MX_BEAN, labelsNow()).capture(true), BIG);

			assertThat(result.snapshot().grouped()).isTrue();
			assertThat(result.truncated()).isFalse();
			assertThat(result.snapshot().threadCount()).isGreaterThanOrEqualTo(CHECKOUT + INVENTORY + SHIPPING);

			StackGroup checkout = onlyGroupWith(result, "parkInCheckout");
			assertThat(checkout.count()).isGreaterThanOrEqualTo(CHECKOUT);
			assertThat(checkout.threadNames()).containsAll(parked.names("checkout-"));
			assertThat(checkout.state()).isEqualTo(Thread.State.WAITING);
			assertThat(checkout.virtual()).isFalse();
			assertThat(checkout.container()).isNull();
			assertThat(checkout.labels()).containsExactly(new StackGroup.LabelCount(ACME, 500),
					new StackGroup.LabelCount(GLOBEX, 250));
			assertThat(checkout.unlabelled()).isEqualTo(250);
			assertThat(checkout.lock()).isNotNull();
			assertThat(checkout.lock().name()).startsWith("java.util.concurrent.CountDownLatch$Sync@");
			assertThat(checkout.frames()).anySatisfy((frame) -> assertThat(frame)
				.startsWith("dev.diagkit.endpoint.StackDumpTests.parkInCheckout(StackDumpTests.java:"));
			assertThat(checkout.frames()).anySatisfy(
					(frame) -> assertThat(frame).startsWith("java.base/java.util.concurrent.CountDownLatch.await("));

			StackGroup inventory = onlyGroupWith(result, "parkInInventory");
			assertThat(inventory.count()).isGreaterThanOrEqualTo(INVENTORY);
			assertThat(inventory.threadNames()).containsAll(parked.names("inventory-"));
			assertThat(inventory.labels()).containsExactly(new StackGroup.LabelCount(GLOBEX, 100));
			assertThat(inventory.unlabelled()).isEqualTo(600);

			StackGroup shipping = onlyGroupWith(result, "parkInShipping");
			assertThat(shipping.count()).isGreaterThanOrEqualTo(SHIPPING);
			assertThat(shipping.labels()).isEmpty();
			assertThat(shipping.unlabelled()).isEqualTo(SHIPPING);

			assertThat(result.groups()).isSortedAccordingTo(
					(a, b) -> (a.count() != b.count()) ? Integer.compare(b.count(), a.count())
							: a.threadNames().get(0).compareTo(b.threadNames().get(0)));
			assertThat(result.groups()).startsWith(checkout, inventory, shipping);

			String text = result.toText();
			assertThat(text.lines().findFirst()).hasValueSatisfying((first) -> assertThat(first)
				.matches("\\d+ threads \\(0 virtual\\) in \\d+ groups, dump took \\d+\\.\\d ms"));
			assertThat(text).contains("\n\n" + CHECKOUT
					+ " threads @ WAITING [tenant=acme (500), tenant=globex (250), no labels (250)]\n\"checkout-0\", ");
			assertThat(text).contains("\n- \"checkout-0\" waiting on java.util.concurrent.CountDownLatch$Sync@");
			assertThat(text).contains("\n\tdev.diagkit.endpoint.StackDumpTests.parkInCheckout(StackDumpTests.java:");
			assertThat(text).contains(INVENTORY + " threads @ WAITING [tenant=globex (100), no labels (600)]\n");
			assertThat(text).contains("\n\n" + SHIPPING + " threads @ WAITING\n\"shipping-0\", ");
			assertThat(text).doesNotContain("truncated");
		}
	}

	/** The shapes of the lines of the grouped text format, as the endpoint guide shows them. */
	private static final List<Pattern> TEXT_LINE_SHAPES = List.of(
			Pattern.compile("\\d+ threads \\(\\d+ virtual\\) in \\d+ groups?, dump took \\d+\\.\\d ms"),
			Pattern.compile("\\d+( virtual)? threads? @ [A-Z_]+( in \\S+)?( \\[[^\\[\\]]+ \\(\\d+\\)(, [^\\[\\]]+ \\(\\d+\\))*\\])?"),
			Pattern.compile("\"[^\"]*\"(, \"[^\"]*\")*(, …)?"),
			Pattern.compile("- \"[^\"]*\" (waiting on|blocked on) \\S+( owned by \"[^\"]*\"( #\\d+)?)?"),
			Pattern.compile("\t(\\S.*|…)"), Pattern.compile(""));

	@Test
	void textHasTheShapeOfTheExampleInTheEndpointGuide() throws Exception {
		String guide = Files.readString(Path.of("..", "docs", "endpoints.md"));
		String section = guide.substring(guide.indexOf("### `stacks`"));
		int start = section.indexOf("```text\n") + "```text\n".length();
		List<String> example = section.substring(start, section.indexOf("```", start)).lines().toList();
		assertThat(example).as("the guide's example").hasSizeGreaterThan(4);
		assertThat(example).as("the guide's example").allSatisfy(StackDumpTests::hasATextLineShape);
		assertThat(example).as("the guide shows a lock line and labels")
			.anySatisfy((line) -> assertThat(line).startsWith("- \""))
			.anySatisfy((line) -> assertThat(line).contains(" [").contains("no labels ("));
		try (ParkedThreads parked = ParkedThreads.start()) {
			String text = new StackReport(new StackDump(THREAD_MX_BEAN, labelsNow()).capture(true), BIG).toText();
			assertThat(text.lines()).as("a real dump").allSatisfy(StackDumpTests::hasATextLineShape);
		}
	}

	private static void hasATextLineShape(String line) {
		assertThat(TEXT_LINE_SHAPES).as("a shape for '%s'", line)
			.anySatisfy((shape) -> assertThat(shape.matcher(line).matches()).isTrue());
	}

	@Test
	void jsonCarriesTheSameGroups() throws Exception {
		try (ParkedThreads parked = ParkedThreads.start()) {
			StackReport result = new StackReport(new StackDump(THREAD_MX_BEAN, labelsNow()).capture(true), BIG);
			Map<String, Object> json = result.toJson();

			assertThat(json).containsEntry("grouped", true)
				.containsEntry("truncated", false)
				.containsEntry("omittedGroups", 0)
				.containsEntry("omittedThreads", 0)
				.containsEntry("threadCount", result.snapshot().threadCount())
				.containsEntry("virtualThreadCount", 0)
				.containsEntry("groupCount", result.snapshot().groups().size())
				.doesNotContainKey("hint");
			assertThat(stacks(json)).hasSize(result.groups().size());
			Map<String, Object> checkout = stacks(json).get(0);
			assertThat(checkout).containsEntry("count", result.groups().get(0).count())
				.containsEntry("state", "WAITING")
				.containsEntry("virtual", false)
				.containsEntry("unlabelled", 250)
				.doesNotContainKeys("container", "threadId");
			assertThat(checkout.get("labels")).isEqualTo(List.of(Map.of("labels", Map.of("tenant", "acme"), "count", 500),
					Map.of("labels", Map.of("tenant", "globex"), "count", 250)));
			assertThat(checkout.get("threads")).asInstanceOf(InstanceOfAssertFactories.LIST)
				.containsAll(parked.names("checkout-"));
			assertThat((String) checkout.get("lock")).startsWith("java.util.concurrent.CountDownLatch$Sync@");

			byte[] written = JSON.writeValueAsBytes(json);
			assertThat(StackReport.jsonSize(json)).isEqualTo(written.length);
		}
	}

	@Test
	void ungroupedListsEveryThreadWithItsIdAndLabels() throws Exception {
		try (ParkedThreads parked = ParkedThreads.start()) {
			StackReport result = new StackReport(new StackDump(THREAD_MX_BEAN, labelsNow()).capture(false), BIG);

			assertThat(result.snapshot().grouped()).isFalse();
			assertThat(result.truncated()).isFalse();
			assertThat(result.groups()).allSatisfy((group) -> assertThat(group.count()).isOne());
			assertThat(result.snapshot().groups().size()).isEqualTo(result.snapshot().threadCount());
			Map<Long, StackGroup> byId = result.groups()
				.stream()
				.collect(Collectors.toMap((group) -> group.threadIds().get(0), (group) -> group));
			for (int i = 0; i < parked.threads.size(); i++) {
				Thread thread = parked.threads.get(i);
				StackGroup entry = byId.get(thread.getId());
				assertThat(entry).as(thread.getName()).isNotNull();
				assertThat(entry.threadNames()).containsExactly(thread.getName());
				LabelSet expected = parked.labels.get(i);
				if (expected.isEmpty()) {
					assertThat(entry.labels()).isEmpty();
					assertThat(entry.unlabelled()).isOne();
				}
				else {
					assertThat(entry.labels()).containsExactly(new StackGroup.LabelCount(expected, 1));
					assertThat(entry.unlabelled()).isZero();
				}
			}
			Thread first = parked.threads.get(0);
			assertThat(result.toText()).contains("\n\n#" + first.getId() + " \"checkout-0\" @ WAITING [tenant=acme]\n"
					+ "- waiting on java.util.concurrent.CountDownLatch$Sync@");
			assertThat(result.toText().lines().findFirst())
				.hasValueSatisfying((line) -> assertThat(line).contains(", one entry per thread, dump took "));
			List<Object> jsonIds = stacks(result.toJson()).stream().map((stack) -> stack.get("threadId")).toList();
			assertThat(jsonIds).containsAll(parked.threads.stream().map(Thread::getId).toList());
		}
	}

	@Test
	void smallCapTruncatesTextAndJsonAndSaysWhatWasLeftOut() throws Exception {
		try (ParkedThreads parked = ParkedThreads.start()) {
			Map<Long, LabelSet> labels = labelsNow();
			for (boolean group : new boolean[] { false, true }) {
				long cap = group ? 24 * 1024 : 64 * 1024;
				StackReport result = new StackReport(new StackDump(THREAD_MX_BEAN, labels).capture(group), cap);
				String text = result.toText();
				Map<String, Object> json = result.toJson();

				assertThat(text.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo((int) cap);
				assertThat(JSON.writeValueAsBytes(json).length).isLessThanOrEqualTo((int) cap);
				assertThat(result.truncated()).isTrue();
				assertThat(result.omittedGroups()).isPositive();
				assertThat(result.omittedThreads()).isPositive();
				assertThat(result.groups()).isNotEmpty();
				assertThat(result.groups().size() + result.omittedGroups()).isEqualTo(result.snapshot().groups().size());
				assertThat(result.groups().stream().mapToInt(StackGroup::count).sum() + result.omittedThreads())
					.isEqualTo(result.snapshot().threadCount());
				assertThat(text.lines().skip(1).findFirst()).hasValue("truncated: " + result.omittedGroups() + " of "
						+ result.snapshot().groups().size() + (group ? " groups (" + result.omittedThreads() + " threads)" : " threads")
						+ " left out; raise diagkit.endpoint.stacks.max-size");
				assertThat(json).containsEntry("truncated", true)
					.containsEntry("omittedGroups", result.omittedGroups())
					.containsEntry("omittedThreads", result.omittedThreads())
					.containsEntry("hint", "raise diagkit.endpoint.stacks.max-size");
				assertThat(stacks(json)).hasSize(result.groups().size());
			}
		}
	}

	@Test
	void bigCapKeepsEverything() throws Exception {
		try (ParkedThreads parked = ParkedThreads.start()) {
			Map<Long, LabelSet> labels = labelsNow();
			for (boolean group : new boolean[] { true, false }) {
				StackReport result = new StackReport(new StackDump(THREAD_MX_BEAN, labels).capture(group), BIG);
				assertThat(result.truncated()).isFalse();
				assertThat(result.omittedGroups()).isZero();
				assertThat(result.omittedThreads()).isZero();
				assertThat(result.groups()).hasSize(result.snapshot().groups().size());
				assertThat(result.toJson()).containsEntry("truncated", false);
				assertThat(result.toText()).doesNotContain("truncated:");
			}
		}
	}

	@Test
	void capSmallerThanTheFirstGroupKeepsNoGroup() {
		StackReport result = new StackReport(new StackDump(THREAD_MX_BEAN, Map.of()).capture(true), 1);
		assertThat(result.groups()).isEmpty();
		assertThat(result.truncated()).isTrue();
		assertThat(result.omittedGroups()).isEqualTo(result.snapshot().groups().size());
		assertThat(result.omittedThreads()).isEqualTo(result.snapshot().threadCount());
	}

	@Test
	void threadsEndingDuringTheDumpAreSkipped() throws Exception {
		AtomicBoolean stop = new AtomicBoolean();
		Thread churner = new Thread(() -> {
			while (!stop.get()) {
				Thread shortLived = new Thread(() -> {
				}, "short-lived");
				shortLived.start();
			}
		}, "churner");
		churner.setDaemon(true);
		churner.start();
		try {
			StackDump dump = new StackDump(THREAD_MX_BEAN, Map.of());
			for (int i = 0; i < 20; i++) {
				assertThat(dump.capture(i % 2 == 0).threadCount()).isPositive();
			}
		}
		finally {
			stop.set(true);
			churner.join(10_000);
		}
		assertThat(churner.isAlive()).isFalse();
	}

	@Test
	@EnabledForJreRange(max = JRE.JAVA_20)
	void beforeJdk21ThereAreNoVirtualThreadsAndNoComplaint() {
		StackReport result = new StackReport(new StackDump(THREAD_MX_BEAN, Map.of()).capture(true), BIG);
		assertThat(result.snapshot().virtualThreadCount()).isZero();
		assertThat(result.snapshot().virtualThreadsOmitted()).isNull();
		assertThat(result.groups()).noneMatch(StackGroup::virtual);
		assertThat(result.toJson()).doesNotContainKey("virtualThreadsOmitted");
	}

	@Test
	void maxBytesMustBePositive() {
		StackDump.Snapshot dump = new StackDump(THREAD_MX_BEAN, Map.of()).capture(true);
		assertThatIllegalArgumentException().isThrownBy(() -> new StackReport(dump, 0))
			.withMessage("maxBytes must be positive, was 0");
	}

	@Test
	void jsonSizeIsWhatJacksonWritesOrMore() {
		Map<String, Object> value = new LinkedHashMap<>();
		value.put("quote\"back\\slash", List.of("tab\there", "nul\u0000", "é€😀", 42, -7L, true, false));
		value.put("nested", Map.of("k", List.of()));
		value.put("nothing", null);
		value.put("took", 12.3);
		assertThat(StackReport.jsonSize(value)).isEqualTo(JSON.writeValueAsBytes(value).length);
		List<String> delete = List.of("del\u007f");
		assertThat(StackReport.jsonSize(delete)).isGreaterThan(JSON.writeValueAsBytes(delete).length);
	}

	static void parkInCheckout(CountDownLatch release) {
		Waiting.parkUntilReleased(release);
	}

	static void parkInInventory(CountDownLatch release) {
		Waiting.parkUntilReleased(release);
	}

	static void parkInShipping(CountDownLatch release) {
		Waiting.parkUntilReleased(release);
	}

	/**
	 * 2,000 platform threads parked until closed: checkout threads (half {@code acme}, a
	 * quarter {@code globex}, a quarter unlabelled), inventory threads (one in seven
	 * {@code globex}) and unlabelled shipping threads. Every thread runs through
	 * {@link ProfilingLabels#run} so that threads of one kind share one stack.
	 */
	static final class ParkedThreads implements AutoCloseable {

		final CountDownLatch release = new CountDownLatch(1);

		final List<Thread> threads = new ArrayList<>();

		final List<LabelSet> labels = new ArrayList<>();

		static ParkedThreads start() throws InterruptedException {
			ParkedThreads parked = new ParkedThreads();
			try {
				parked.start("checkout-", CHECKOUT,
						(i) -> (i % 4 < 2) ? ACME : (i % 4 == 2) ? GLOBEX : LabelSet.empty(),
						StackDumpTests::parkInCheckout);
				parked.start("inventory-", INVENTORY, (i) -> (i % 7 == 0) ? GLOBEX : LabelSet.empty(),
						StackDumpTests::parkInInventory);
				parked.start("shipping-", SHIPPING, (i) -> LabelSet.empty(), StackDumpTests::parkInShipping);
				parked.awaitAllParked();
			}
			catch (RuntimeException | Error ex) {
				parked.close();
				throw ex;
			}
			return parked;
		}

		private void start(String prefix, int count, IntFunction<LabelSet> labelsOf,
				Consumer<CountDownLatch> park) {
			for (int i = 0; i < count; i++) {
				LabelSet threadLabels = labelsOf.apply(i);
				Thread thread = new Thread(null, () -> ProfilingLabels.run(threadLabels, () -> park.accept(this.release)),
						prefix + i, 256 * 1024);
				thread.setDaemon(true);
				this.threads.add(thread);
				this.labels.add(threadLabels);
				thread.start();
			}
		}

		private void awaitAllParked() {
			await().atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(10))
				.until(() -> this.threads.stream().allMatch((thread) -> thread.getState() == Thread.State.WAITING));
		}

		List<String> names(String prefix) {
			return this.threads.stream().map(Thread::getName).filter((name) -> name.startsWith(prefix)).toList();
		}

		@Override
		public void close() throws InterruptedException {
			this.release.countDown();
			for (Thread thread : this.threads) {
				thread.join(10_000);
			}
			assertThat(this.threads).noneMatch(Thread::isAlive);
		}

	}

}
