package dev.diagkit.memory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

import dev.diagkit.memory.HeapTargetPolicy.Decision;
import dev.diagkit.memory.HeapTargetPolicy.Reading;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Moves the heap target with memory pressure, once a period, on a daemon thread of its own
 * ({@value #THREAD_NAME}): reads the pressure, the collector's share of CPU and the live
 * heap, lets the {@link HeapTargetPolicy} decide, and has the {@link HeapLever} carry the
 * decision out. Every change is logged at INFO (old and new target, why, the figures), kept
 * in a bounded history, counted by reason and written as a JFR event
 * ({@code dev.diagkit.HeapTargetChange}). Closing it stops the thread and puts the lever back.
 */
public final class AdaptiveHeapController implements AutoCloseable {

	/** The name of the controller's thread. */
	public static final String THREAD_NAME = "diagkit-heap-target";

	private static final long JOIN_MILLIS = 5_000;

	private static final Log logger = LogFactory.getLog(AdaptiveHeapController.class);

	private final Settings settings;

	private final HeapTargetPolicy policy;

	private final HeapLever lever;

	private final MemoryPressureSource pressure;

	private final DoubleSupplier gcShare;

	private final LongSupplier liveBytes;

	private final Object lock = new Object();

	private final Deque<Change> history = new ArrayDeque<>();

	private final long[] changes = new long[HeapTargetPolicy.Reason.values().length];

	private long target;

	private @Nullable Decision lastDecision;

	private @Nullable Reading lastReading;

	private @Nullable ScheduledExecutorService scheduler;

	private boolean closed;

	/**
	 * Creates a controller; nothing runs until {@link #start()}.
	 * @param settings the period, base and history size
	 * @param policy decides the targets
	 * @param lever carries them out
	 * @param pressure where memory pressure is read
	 * @param gcShare the collector's share of CPU since the previous call, NaN when not known
	 * @param liveBytes the heap live after the latest collection, negative when not known
	 */
	public AdaptiveHeapController(Settings settings, HeapTargetPolicy policy, HeapLever lever,
			MemoryPressureSource pressure, DoubleSupplier gcShare, LongSupplier liveBytes) {
		this.settings = Objects.requireNonNull(settings, "settings must not be null");
		this.policy = Objects.requireNonNull(policy, "policy must not be null");
		this.lever = Objects.requireNonNull(lever, "lever must not be null");
		this.pressure = Objects.requireNonNull(pressure, "pressure must not be null");
		this.gcShare = gcShare;
		this.liveBytes = liveBytes;
		this.target = settings.base();
	}

	/**
	 * Starts deciding once a period; does nothing if already started or closed.
	 */
	public void start() {
		synchronized (this.lock) {
			if (this.scheduler != null || this.closed) {
				return;
			}
			ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor((task) -> {
				Thread thread = new Thread(task, THREAD_NAME);
				thread.setDaemon(true);
				return thread;
			});
			long period = this.settings.period().toNanos();
			started.scheduleWithFixedDelay(this::stepQuietly, period, period, TimeUnit.NANOSECONDS);
			this.scheduler = started;
		}
		logger.info("Adaptive heap target started: base " + mb(this.settings.base()) + ", lever " + this.lever.name()
				+ ", memory pressure from " + this.pressure.description() + ", every " + this.settings.period());
	}

	/**
	 * Reads the figures, decides, and moves the lever when the target changes. The thread
	 * calls it once a period; tests call it directly.
	 * @return the decision
	 */
	public Decision step() {
		Reading reading = new Reading(this.pressure.getAsDouble(), this.gcShare.getAsDouble(),
				this.liveBytes.getAsLong());
		synchronized (this.lock) {
			long before = this.target;
			Decision decision = this.policy.decide(this.settings.base(), before, reading);
			if (decision.target() != before) {
				// the lever first: a target it refused is neither kept nor reported
				this.lever.apply(decision.target());
				this.target = decision.target();
				Change change = new Change(Instant.now(), before, decision.target(), decision, reading);
				this.history.addLast(change);
				while (this.history.size() > this.settings.historySize()) {
					this.history.removeFirst();
				}
				this.changes[decision.reason().ordinal()]++;
				logger.info(describe(change));
				record(change);
			}
			this.lastDecision = decision;
			this.lastReading = reading;
			return decision;
		}
	}

	/**
	 * Returns where the controller stands.
	 * @return the status
	 */
	public Status status() {
		synchronized (this.lock) {
			return new Status(this.scheduler != null && !this.closed, this.lever.name(), this.lever.moves(),
					this.pressure.description(), this.settings.base(), this.target, this.lastDecision, this.lastReading,
					new ArrayList<>(this.history));
		}
	}

	/**
	 * Returns how many times the target changed for a reason since the controller was made.
	 * @param reason the reason
	 * @return the count
	 */
	public long changes(HeapTargetPolicy.Reason reason) {
		synchronized (this.lock) {
			return this.changes[reason.ordinal()];
		}
	}

	/**
	 * Stops the thread and puts the lever back as it was.
	 */
	@Override
	public void close() {
		ScheduledExecutorService running;
		synchronized (this.lock) {
			if (this.closed) {
				return;
			}
			this.closed = true;
			running = this.scheduler;
		}
		if (running != null) {
			running.shutdownNow();
			try {
				running.awaitTermination(JOIN_MILLIS, TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		this.lever.restore();
	}

	private void stepQuietly() {
		try {
			step();
		}
		catch (RuntimeException ex) {
			logger.warn("Adaptive heap target could not be moved: " + ex, ex);
		}
	}

	private void record(Change change) {
		HeapTargetChangeEvent event = new HeapTargetChangeEvent();
		if (event.isEnabled()) {
			event.from = change.from();
			event.to = change.to();
			event.floor = change.decision().floor();
			event.reason = change.decision().reason().name();
			event.lever = this.lever.name();
			event.pressure = change.reading().pressure();
			event.gcShare = change.reading().gcShare();
			event.liveHeap = change.reading().liveBytes();
			event.commit();
		}
	}

	private String describe(Change change) {
		Reading reading = change.reading();
		return String.format(Locale.ROOT,
				"Heap target %s -> %s (%s): memory pressure %.2f, GC share of CPU %.1f%%, live heap %s, floor %s%s",
				mb(change.from()), mb(change.to()), change.decision().reason(), reading.pressure(),
				reading.gcShare() * 100, (reading.liveBytes() >= 0) ? mb(reading.liveBytes()) : "unknown",
				mb(change.decision().floor()), this.lever.moves() ? "" : " (observe only: " + this.lever.name() + ")");
	}

	private static String mb(long bytes) {
		return (bytes / (1024 * 1024)) + " MB";
	}

	/**
	 * How the controller runs.
	 *
	 * @param period how often it decides
	 * @param base the target without pressure, normally the maximum heap
	 * @param historySize how many changes it keeps
	 */
	public record Settings(Duration period, long base, int historySize) {

		/**
		 * Checks the settings.
		 */
		public Settings {
			Objects.requireNonNull(period, "period must not be null");
			if (period.isNegative() || period.isZero()) {
				throw new IllegalArgumentException("period must be positive, was " + period);
			}
			if (base <= 0) {
				throw new IllegalArgumentException("base must be positive, was " + base);
			}
			if (historySize < 1) {
				throw new IllegalArgumentException("historySize must be at least 1, was " + historySize);
			}
		}

	}

	/**
	 * One change of the target.
	 *
	 * @param at when it changed
	 * @param from the target before
	 * @param to the target after
	 * @param decision the policy's decision, with the floor and the reason
	 * @param reading the figures it was decided on
	 */
	public record Change(Instant at, long from, long to, Decision decision, Reading reading) {
	}

	/**
	 * Where the controller stands.
	 *
	 * @param running whether its thread runs
	 * @param lever what the lever moves
	 * @param moves whether targets take effect (otherwise it only observes)
	 * @param pressureSource where memory pressure is read
	 * @param base the target without pressure
	 * @param target the target now
	 * @param lastDecision the latest decision, or {@code null} before the first period
	 * @param lastReading the figures of the latest decision, or {@code null} before it
	 * @param history the latest changes, oldest first
	 */
	public record Status(boolean running, String lever, boolean moves, String pressureSource, long base, long target,
			@Nullable Decision lastDecision, @Nullable Reading lastReading, List<Change> history) {
	}

}
