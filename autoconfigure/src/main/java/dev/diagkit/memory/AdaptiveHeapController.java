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
import dev.diagkit.memory.HeapTargetPolicy.Reason;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Moves the heap target with memory pressure, once a period, on a daemon thread of its own
 * ({@value #THREAD_NAME}): reads the pressure, the collector's share of CPU and the live
 * heap, lets the {@link HeapTargetPolicy} decide, and has the {@link HeapLever} carry the
 * decision out. Between decisions the thread reads the pressure alone every second: when it
 * rises above the high threshold and the target has not changed for a period, it decides at
 * once rather than at the end of the period, and the periods count from there. Every change
 * is logged at INFO (old and new target, why, the figures), kept in a bounded history, counted by reason and written as a JFR event
 * ({@code dev.diagkit.HeapTargetChange}). An operator can pause it, which puts the target back
 * to the base until it resumes, and move the base between the floor and the maximum heap.
 * Closing it stops the thread and puts the lever back.
 */
public final class AdaptiveHeapController implements AutoCloseable {

	/** The name of the controller's thread. */
	public static final String THREAD_NAME = "diagkit-heap-target";

	private static final long JOIN_MILLIS = 5_000;

	/** How often the pressure alone is read between decisions. */
	static final Duration WATCH = Duration.ofSeconds(1);

	private static final Log logger = LogFactory.getLog(AdaptiveHeapController.class);

	private final Settings settings;

	private final HeapTargetPolicy policy;

	private final HeapLever lever;

	private final MemoryPressureSource pressure;

	private final DoubleSupplier gcShare;

	private final LongSupplier liveBytes;

	/** Guards the state; never held while the lever works, which may run a collection. */
	private final Object lock = new Object();

	/** Held, before {@link #lock}, by whoever moves the target, so that moves come one at a time. */
	private final Object moving = new Object();

	private final Deque<Change> history = new ArrayDeque<>();

	private final long[] changes = new long[HeapTargetPolicy.Reason.values().length];

	private final long maxHeap;

	private long base;

	private long target;

	private boolean paused;

	/** The lowest target the collector could not keep under the cap, 0 when none. */
	private long tooTight;

	private @Nullable Decision lastDecision;

	private @Nullable Reading lastReading;

	private @Nullable ScheduledExecutorService scheduler;

	private volatile @Nullable Thread thread;

	private boolean closed;

	/** When the target last changed, under the lock; read only once the history has a change. */
	private long lastChangeNanos;

	/** The following two are the controller thread's own. */
	private long lastStepNanos;

	private boolean pressureWasHigh;

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
		this.base = settings.base();
		this.target = settings.base();
		this.maxHeap = Math.max(settings.base(), Runtime.getRuntime().maxMemory());
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
				this.thread = thread;
				return thread;
			});
			long tick = Math.min(WATCH.toNanos(), this.settings.period().toNanos());
			this.lastStepNanos = System.nanoTime();
			started.scheduleWithFixedDelay(this::tickQuietly, tick, tick, TimeUnit.NANOSECONDS);
			this.scheduler = started;
		}
		logger.info("Adaptive heap target started: base " + mb(this.settings.base()) + ", lever " + this.lever.name()
				+ ", memory pressure from " + this.pressure.description() + ", every " + this.settings.period());
		this.lever.advice().ifPresent(logger::warn);
	}

	/**
	 * Reads the figures, decides, and moves the lever when the target changes. The thread
	 * calls it once a period; tests call it directly.
	 * @return the decision
	 */
	public Decision step() {
		return step(read());
	}

	private Reading read() {
		return new Reading(this.pressure.getAsDouble(), this.gcShare.getAsDouble(), this.liveBytes.getAsLong());
	}

	private Decision step(Reading reading) {
		synchronized (this.moving) {
			Decision decision;
			synchronized (this.lock) {
				decision = this.paused
						? new Decision(this.target, this.policy.floor(this.base, reading.liveBytes()), Reason.PAUSED)
						: remembered(this.policy.decide(this.base, this.target, reading));
			}
			move(decision, reading, true);
			return decision;
		}
	}

	/**
	 * Keeps the target from tightening again to where the collector went over its CPU cap,
	 * until the pressure is gone: the GC share read a period apart is noisy, and without
	 * this a live set near the target makes the target swing between two steps.
	 */
	private Decision remembered(Decision decision) {
		switch (decision.reason()) {
			case GC_BACK_OFF -> this.tooTight = Math.max(this.tooTight, this.target);
			case PRESSURE -> {
				if (decision.target() <= this.tooTight) {
					return new Decision(this.target, decision.floor(), Reason.GC_BUSY);
				}
			}
			case PRESSURE_GONE -> this.tooTight = 0;
			default -> {
			}
		}
		return decision;
	}

	/**
	 * Stops moving the target and puts it back to the base until {@link #resume(String)};
	 * the figures are still read every period.
	 * @param by who paused it, for the log
	 * @return the status after the pause
	 */
	public Status pause(String by) {
		synchronized (this.moving) {
			long to;
			synchronized (this.lock) {
				if (this.paused) {
					return status();
				}
				this.paused = true;
				to = this.base;
			}
			logger.info("Adaptive heap target paused by " + by + "; the target stays at the base, " + mb(to));
			operatorMove(to);
			return status();
		}
	}

	/**
	 * Lets the target follow memory pressure again, from where it is, at the next period.
	 * @param by who resumed it, for the log
	 * @return the status after the resume
	 */
	public Status resume(String by) {
		synchronized (this.lock) {
			if (this.paused) {
				this.paused = false;
				logger.info("Adaptive heap target resumed by " + by);
			}
			return status();
		}
	}

	/**
	 * Sets the target without pressure. A base below the current target brings the target
	 * down to it at once; a higher one is reached a step a period, as pressure allows.
	 * @param bytes the new base
	 * @param by who set it, for the log
	 * @return the status after the change
	 * @throws IllegalArgumentException if the base is below the floor in force or above the
	 * maximum heap
	 */
	public Status setBase(long bytes, String by) {
		synchronized (this.moving) {
			long before;
			boolean now;
			synchronized (this.lock) {
				long floor = floor();
				if (bytes < floor || bytes > this.maxHeap) {
					throw new IllegalArgumentException("base must be between the floor, " + floor + " bytes ("
							+ mb(floor) + "), and the maximum heap, " + this.maxHeap + " bytes (" + mb(this.maxHeap)
							+ "), was " + bytes + " bytes");
				}
				before = this.base;
				this.base = bytes;
				this.tooTight = 0;
				now = this.paused || this.target > bytes;
			}
			logger.info("Adaptive heap target base " + mb(before) + " -> " + mb(bytes) + ", set by " + by);
			if (now) {
				operatorMove(bytes);
			}
			return status();
		}
	}

	/**
	 * Returns the lowest target allowed now: a share of the base, raised to the live heap
	 * of the latest reading with headroom.
	 * @return bytes
	 */
	private long floor() {
		Reading reading = this.lastReading;
		return this.policy.floor(this.base, (reading != null) ? reading.liveBytes() : -1);
	}

	private void operatorMove(long to) {
		Decision decision;
		Reading reading;
		synchronized (this.lock) {
			reading = (this.lastReading != null) ? this.lastReading : new Reading(Double.NaN, Double.NaN, -1);
			decision = new Decision(to, floor(), Reason.OPERATOR);
		}
		move(decision, reading, false);
	}

	/**
	 * Has the lever carry a decision out, and keeps, logs and records the change. Called
	 * holding {@link #moving} only: the lever may run a collection, and a status read
	 * should not wait for it.
	 */
	private void move(Decision decision, Reading reading, boolean newReading) {
		long before;
		synchronized (this.lock) {
			if (this.closed) {
				// the lever is back as the JVM had it and stays so
				return;
			}
			before = this.target;
		}
		if (decision.target() != before) {
			// the lever first: a target it refused is neither kept nor reported
			this.lever.apply(decision.target());
		}
		@Nullable Change change = null;
		synchronized (this.lock) {
			if (decision.target() != before) {
				this.target = decision.target();
				change = new Change(Instant.now(), before, decision.target(), decision, reading);
				this.history.addLast(change);
				while (this.history.size() > this.settings.historySize()) {
					this.history.removeFirst();
				}
				this.changes[decision.reason().ordinal()]++;
				this.lastChangeNanos = System.nanoTime();
			}
			this.lastDecision = decision;
			if (newReading) {
				this.lastReading = reading;
			}
		}
		if (change != null) {
			logger.info(describe(change));
			record(change);
		}
	}

	/**
	 * Returns where the controller stands.
	 * @return the status
	 */
	public Status status() {
		synchronized (this.lock) {
			return new Status(this.scheduler != null && !this.closed, this.paused, this.lever.name(),
					this.lever.moves(), this.pressure.description(), this.settings.period(), this.maxHeap, this.base,
					floor(), this.target, this.lastDecision, this.lastReading, new ArrayList<>(this.history));
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
				// the pool is terminated a moment before its thread has ended
				Thread ending = this.thread;
				if (ending != null) {
					ending.join(JOIN_MILLIS);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		synchronized (this.moving) {
			this.lever.restore();
		}
	}

	/**
	 * Decides once a period, or sooner when the pressure has just risen above the high
	 * threshold and the target has not changed for a period: a spike is answered within
	 * {@link #WATCH}, while changes still come at most one a period.
	 */
	private void tickQuietly() {
		try {
			long now = System.nanoTime();
			long period = this.settings.period().toNanos();
			long tick = Math.min(WATCH.toNanos(), period);
			boolean decide = now - this.lastStepNanos >= period - tick / 2;
			if (!decide) {
				boolean high = this.pressure.getAsDouble() > this.policy.settings().highPressure();
				boolean risen = high && !this.pressureWasHigh;
				this.pressureWasHigh = high;
				synchronized (this.lock) {
					decide = risen && (this.history.isEmpty() || now - this.lastChangeNanos >= period);
				}
			}
			if (decide) {
				this.lastStepNanos = now;
				Reading reading = read();
				step(reading);
				this.pressureWasHigh = reading.pressure() > this.policy.settings().highPressure();
			}
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
	 * @param paused whether an operator paused it
	 * @param lever what the lever moves
	 * @param moves whether targets take effect (otherwise it only observes)
	 * @param pressureSource where memory pressure is read
	 * @param period how often it decides
	 * @param maxHeap the maximum heap, the highest base allowed
	 * @param base the target without pressure
	 * @param floor the lowest target allowed now
	 * @param target the target now
	 * @param lastDecision the latest decision, or {@code null} before the first period
	 * @param lastReading the figures of the latest decision, or {@code null} before it
	 * @param history the latest changes, oldest first
	 */
	public record Status(boolean running, boolean paused, String lever, boolean moves, String pressureSource,
			Duration period, long maxHeap, long base, long floor, long target, @Nullable Decision lastDecision,
			@Nullable Reading lastReading, List<Change> history) {
	}

}
