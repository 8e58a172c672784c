package dev.diagkit.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;

/**
 * CPU time and run-queue wait of the process's threads by {@link ThreadClass}, from each
 * thread's {@code /proc/self/task/<tid>/schedstat} (nanoseconds on a CPU, nanoseconds
 * runnable but waiting for one) and {@code comm} (its name). Linux only: elsewhere, or
 * without schedstat, {@link #available()} is false.
 * <p>
 * A scan reads two small files per thread, about 30 µs per thread, so it is done by
 * {@link #refresh()} on a schedule and read by meters from {@link #latest()}. Totals only
 * grow: each scan adds what every thread used since the previous scan. Application CPU is the
 * process's CPU time less the JVM's classes, so it includes threads that ended between scans;
 * for the JVM classes and for run-queue wait, the last slice of a thread that ends between
 * two scans is not counted.
 */
public final class ProcessThreadTimes {

	private static final ThreadClass[] CLASSES = ThreadClass.values();

	private static final long MIN_SHARE_INTERVAL_NANOS = 1_000_000_000L;

	private final Path taskDirectory;

	private final boolean vmThreadCollects;

	private final LongSupplier processCpuNanos;

	private final Map<String, Entry> threads = new HashMap<>();

	private final long[] cpuNanos = new long[CLASSES.length];

	private final long[] waitNanos = new long[CLASSES.length];

	private final byte[] buffer = new byte[64];

	private final ArrayDeque<Snapshot> recent = new ArrayDeque<>();

	private long round;

	/** The latest scan and the one the GC share compares it with, published together. */
	private volatile @Nullable Scans scans;

	/**
	 * Creates a reader of a process's threads.
	 * @param procRoot the root of the proc file system, normally {@code /proc}; threads are
	 * read from {@code <procRoot>/self/task}
	 * @param vmThreadCollects whether the VM thread does the collections (the Serial
	 * collector)
	 * @param processCpuNanos the CPU time of the whole process in nanoseconds, or a negative
	 * number when unknown (application CPU is then the sum of the application threads seen)
	 */
	public ProcessThreadTimes(Path procRoot, boolean vmThreadCollects, LongSupplier processCpuNanos) {
		this.taskDirectory = procRoot.resolve("self").resolve("task");
		this.vmThreadCollects = vmThreadCollects;
		this.processCpuNanos = processCpuNanos;
	}

	/**
	 * Returns a reader of this JVM's threads.
	 * @return the reader
	 */
	public static ProcessThreadTimes forThisProcess() {
		return new ProcessThreadTimes(ProcessCgroup.PROC_ROOT, serialCollector(), ProcessThreadTimes::processCpuTime);
	}

	private static boolean serialCollector() {
		for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
			if (gc.getName().equals("Copy") || gc.getName().equals("MarkSweepCompact")) {
				return true;
			}
		}
		return false;
	}

	private static long processCpuTime() {
		try {
			OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
			return (os instanceof com.sun.management.OperatingSystemMXBean platform) ? platform.getProcessCpuTime() : -1;
		}
		catch (LinkageError ex) {
			return -1;
		}
	}

	/**
	 * Returns whether the kernel offers per-thread scheduler statistics here: some thread's
	 * {@code schedstat} shows CPU time (kernels without scheduler statistics write zeroes).
	 * @return whether a scan finds anything
	 */
	public synchronized boolean available() {
		try (DirectoryStream<Path> tasks = Files.newDirectoryStream(this.taskDirectory)) {
			for (Path task : tasks) {
				long[] stat = schedstat(task);
				if (stat != null && stat[0] > 0) {
					return true;
				}
			}
			return false;
		}
		catch (IOException | RuntimeException ex) {
			return false;
		}
	}

	/**
	 * Scans the threads now and adds what each used since the previous scan.
	 * @return the totals after this scan
	 */
	public synchronized Snapshot refresh() {
		long thisRound = ++this.round;
		boolean processCpuKnown = this.processCpuNanos.getAsLong() >= 0;
		try (DirectoryStream<Path> tasks = Files.newDirectoryStream(this.taskDirectory)) {
			for (Path task : tasks) {
				scan(task, thisRound, processCpuKnown);
			}
		}
		catch (IOException | RuntimeException ex) {
			// no /proc/self/task (not Linux, or hidden): the totals stay as they were
		}
		for (Iterator<Entry> it = this.threads.values().iterator(); it.hasNext();) {
			if (it.next().round != thisRound) {
				it.remove();
			}
		}
		long process = this.processCpuNanos.getAsLong();
		if (processCpuKnown && process >= 0) {
			long jvm = 0;
			for (ThreadClass threadClass : CLASSES) {
				if (threadClass != ThreadClass.APPLICATION) {
					jvm += this.cpuNanos[threadClass.ordinal()];
				}
			}
			// the two clocks are read a moment apart: never let the total go backwards
			int application = ThreadClass.APPLICATION.ordinal();
			this.cpuNanos[application] = Math.max(this.cpuNanos[application], process - jvm);
		}
		Snapshot snapshot = new Snapshot(System.nanoTime(), this.cpuNanos.clone(), this.waitNanos.clone());
		// the GC share gauge compares with the newest scan at least a second older, so that
		// scans asked for close together (meters, capacity sampler) do not shrink its interval
		this.recent.addLast(snapshot);
		while (this.recent.size() > 2
				&& snapshot.nanoTime() - secondOldest().nanoTime() >= MIN_SHARE_INTERVAL_NANOS) {
			this.recent.removeFirst();
		}
		this.scans = new Scans(snapshot, (this.recent.size() > 1) ? this.recent.peekFirst() : null);
		return snapshot;
	}

	private void scan(Path task, long thisRound, boolean processCpuKnown) {
		long[] stat = schedstat(task);
		if (stat == null) {
			return;
		}
		String tid = task.getFileName().toString();
		Entry entry = this.threads.get(tid);
		if (entry == null || stat[0] < entry.cpu || stat[1] < entry.wait) {
			// a new thread, or a thread id the kernel has given to a new thread
			entry = new Entry(classify(task));
			this.threads.put(tid, entry);
		}
		else if (!entry.named) {
			// a thread seen just after it started may not have its own name yet: HotSpot
			// starts GC workers from the VM thread, whose name they carry until they set theirs
			entry.threadClass = classify(task);
			entry.named = true;
		}
		if (entry.threadClass != ThreadClass.APPLICATION || !processCpuKnown) {
			this.cpuNanos[entry.threadClass.ordinal()] += stat[0] - entry.cpu;
		}
		this.waitNanos[entry.threadClass.ordinal()] += stat[1] - entry.wait;
		entry.cpu = stat[0];
		entry.wait = stat[1];
		entry.round = thisRound;
	}

	private Snapshot secondOldest() {
		Iterator<Snapshot> it = this.recent.iterator();
		it.next();
		return it.next();
	}

	/**
	 * Reads {@code <cpu ns> <wait ns> <slices>} into {@link #buffer}, reused between reads:
	 * a scan reads one such file per thread, and reading each into a fresh array cost 10 KB.
	 */
	private long @Nullable [] schedstat(Path task) {
		int length;
		try (InputStream in = Files.newInputStream(task.resolve("schedstat"))) {
			length = in.readNBytes(this.buffer, 0, this.buffer.length);
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
		long[] values = new long[2];
		int position = 0;
		for (int field = 0; field < 2; field++) {
			int start = position;
			long value = 0;
			while (position < length && this.buffer[position] >= '0' && this.buffer[position] <= '9'
					&& position - start < 19) {
				value = value * 10 + (this.buffer[position] - '0');
				position++;
			}
			boolean separated = position < length
					&& (this.buffer[position] == ' ' || this.buffer[position] == '\n');
			if (position == start || (!separated && !(field == 1 && position == length))) {
				return null;
			}
			values[field] = value;
			position++;
		}
		return values;
	}

	/**
	 * Returns the totals of the latest scan, scanning first if there has been none.
	 * @return the totals
	 */
	public Snapshot latest() {
		Scans current = this.scans;
		return (current != null) ? current.latest() : refresh();
	}

	/**
	 * Returns the totals of the latest scan, scanning again if it is older than the given
	 * age.
	 * @param maxAge the oldest acceptable scan
	 * @return the totals
	 */
	public Snapshot latest(Duration maxAge) {
		Scans current = this.scans;
		if (current == null || System.nanoTime() - current.latest().nanoTime() > maxAge.toNanos()) {
			return refresh();
		}
		return current.latest();
	}

	/**
	 * Returns the share of the process's CPU time that garbage collection used between the
	 * latest scan and the one before it that is at least a second older.
	 * @return a ratio from 0 to 1, or NaN before two scans or when no CPU was used
	 */
	public double recentGcShare() {
		Scans current = this.scans;
		Snapshot before = (current != null) ? current.previous() : null;
		return (current != null && before != null) ? current.latest().gcShareSince(before) : Double.NaN;
	}

	private ThreadClass classify(Path task) {
		String comm = KernelFiles.read(task.resolve("comm"));
		return ThreadClass.of((comm != null) ? comm.trim() : "", this.vmThreadCollects);
	}

	/**
	 * The latest scan and the newest earlier one at least a second older.
	 */
	private record Scans(Snapshot latest, @Nullable Snapshot previous) {

	}

	private static final class Entry {

		ThreadClass threadClass;

		boolean named;

		long cpu;

		long wait;

		long round;

		Entry(ThreadClass threadClass) {
			this.threadClass = threadClass;
		}

	}

	/**
	 * Cumulative totals at one scan.
	 */
	public static final class Snapshot {

		private final long nanoTime;

		private final long[] cpuNanos;

		private final long[] waitNanos;

		Snapshot(long nanoTime, long[] cpuNanos, long[] waitNanos) {
			this.nanoTime = nanoTime;
			this.cpuNanos = cpuNanos;
			this.waitNanos = waitNanos;
		}

		/**
		 * Returns when the scan was taken.
		 * @return a {@link System#nanoTime()} value
		 */
		public long nanoTime() {
			return this.nanoTime;
		}

		/**
		 * Returns the CPU time used by a class of threads so far.
		 * @param threadClass the class
		 * @return seconds
		 */
		public double cpuSeconds(ThreadClass threadClass) {
			return this.cpuNanos[threadClass.ordinal()] / 1e9;
		}

		/**
		 * Returns the CPU time of every class together.
		 * @return seconds
		 */
		public double totalCpuSeconds() {
			return seconds(this.cpuNanos);
		}

		/**
		 * Returns the time a class of threads spent runnable, waiting for a CPU, so far.
		 * @param threadClass the class
		 * @return seconds
		 */
		public double runQueueWaitSeconds(ThreadClass threadClass) {
			return this.waitNanos[threadClass.ordinal()] / 1e9;
		}

		/**
		 * Returns the run-queue wait of every class together.
		 * @return seconds
		 */
		public double totalRunQueueWaitSeconds() {
			return seconds(this.waitNanos);
		}

		private static double seconds(long[] nanosByClass) {
			long total = 0;
			for (long nanos : nanosByClass) {
				total += nanos;
			}
			return total / 1e9;
		}

		/**
		 * Returns the share of CPU time that garbage collection used since an earlier scan.
		 * @param earlier the earlier scan
		 * @return a ratio from 0 to 1, or NaN when no CPU was used in between
		 */
		public double gcShareSince(Snapshot earlier) {
			return gcShareSince(earlier, 0);
		}

		/**
		 * Returns the share of CPU time that garbage collection used since an earlier scan,
		 * of at least {@code minCores} of a core over the time between the two scans.
		 * @param earlier the earlier scan
		 * @param minCores the least CPU, in cores, the share is taken of
		 * @return a ratio from 0 to 1, or NaN when no CPU was used in between
		 */
		public double gcShareSince(Snapshot earlier, double minCores) {
			double total = totalCpuSeconds() - earlier.totalCpuSeconds();
			double gc = cpuSeconds(ThreadClass.GC) - earlier.cpuSeconds(ThreadClass.GC);
			double measured = Math.max(total, minCores * (this.nanoTime - earlier.nanoTime) / 1e9);
			return (measured > 0) ? Math.min(1.0, Math.max(0.0, gc / measured)) : Double.NaN;
		}

	}

}
