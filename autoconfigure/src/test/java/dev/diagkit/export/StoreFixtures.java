package dev.diagkit.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import dev.diagkit.labels.LabelSet;
import dev.diagkit.profiling.PprofWriter;
import dev.diagkit.profiling.Profile;
import dev.diagkit.profiling.ProfileType;
import dev.diagkit.profiling.StackFrame;

/**
 * Windows, a settable clock and recorded events for the profile store tests; windows are
 * drawn from a fixed vocabulary of frames and tenants, so that windows share stacks and
 * merging has something to sum.
 */
final class StoreFixtures {

	static final Instant T0 = Instant.parse("2025-03-03T00:00:00Z");

	static final SeriesLabels SERIES = new SeriesLabels("orders", Map.of(SeriesLabels.INSTANCE, "host-1"));

	static final List<String> TENANTS = List.of("acme", "globex", "initech");

	private static final StackFrame RUN = new StackFrame("java.lang.Thread", "run", "Thread.java", 840);

	private static final PprofWriter WRITER = new PprofWriter();

	private StoreFixtures() {
	}

	/**
	 * A window of {@code samples} draws from {@code stacks} stacks under the three tenants:
	 * each draw adds one sample of 10 ms of CPU (or an allocation, or a contention).
	 */
	static ProfileWindow window(ProfileType type, Instant from, Duration length, int samples, int stacks, long seed) {
		Random random = new Random(seed);
		Profile.Builder builder = Profile.builder(type, from, 10_000_000);
		for (int i = 0; i < samples; i++) {
			int stack = random.nextInt(stacks);
			String tenant = TENANTS.get(random.nextInt(TENANTS.size()));
			builder.add(stack(stack), LabelSet.of("tenant", tenant, "endpoint", "GET /e" + (stack % 5)), 1,
					10_000_000 + random.nextInt(1000));
		}
		Profile profile = builder.note("JFR sampling period 10 ms").build(length);
		return new ProfileWindow(0, type, from, from.plus(length), SERIES, profile, WRITER.write(profile));
	}

	/** Stack {@code n}: a leaf of its own over a few shared frames, up to 12 deep. */
	static List<StackFrame> stack(int n) {
		StackFrame[] frames = new StackFrame[3 + n % 10];
		frames[0] = new StackFrame("com.acme.generated.Service" + (n / 50), "work" + n, "Service.java", 10 + n % 7);
		for (int i = 1; i < frames.length - 1; i++) {
			frames[i] = new StackFrame("com.acme.layer" + i + ".Handler", "handle" + (n % (i + 2)), "Handler.java", i);
		}
		frames[frames.length - 1] = RUN;
		return List.of(frames);
	}

	/** Sums per (stack, labels) pair, the key a merge must agree on. */
	static Map<List<Object>, List<Long>> sums(Profile profile) {
		Map<List<Object>, List<Long>> sums = new HashMap<>();
		for (Profile.Sample sample : profile.samples()) {
			sums.merge(List.of(sample.stack(), sample.labels()), List.of(sample.value(0), sample.value(1)),
					(a, b) -> List.of(a.get(0) + b.get(0), a.get(1) + b.get(1)));
		}
		return sums;
	}

	static long count(Profile profile) {
		return profile.samples().stream().mapToLong((sample) -> sample.value(0)).sum();
	}

	/** The bytes of every file under {@code directory}, temporary ones included. */
	static long directorySize(Path directory) {
		try (Stream<Path> paths = Files.walk(directory)) {
			return paths.filter(Files::isRegularFile).mapToLong((path) -> {
				try {
					return Files.size(path);
				}
				catch (NoSuchFileException ex) {
					return 0;
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			}).sum();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A clock the test sets.
	 */
	static final class TestClock extends Clock {

		private volatile Instant now;

		TestClock(Instant now) {
			this.now = now;
		}

		void set(Instant now) {
			this.now = now;
		}

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public Instant instant() {
			return this.now;
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

	}

	/**
	 * Counts drops by reason.
	 */
	static final class RecordedEvents implements ExportEvents {

		private final Map<String, AtomicLong> dropped = new ConcurrentHashMap<>();

		@Override
		public void dropped(String reason, long count) {
			this.dropped.computeIfAbsent(reason, (key) -> new AtomicLong()).addAndGet(count);
		}

		long dropped(String reason) {
			AtomicLong count = this.dropped.get(reason);
			return (count != null) ? count.get() : 0;
		}

	}

}
