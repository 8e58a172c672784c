package dev.diagkit.trace;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A monitor or lock that several threads queue on: the bottleneck, with who waits on it by
 * tenant and endpoint, and where they wait.
 */
final class LockContentionDetector implements Detector {

	/** Least total wait on one lock that is a finding, and least share of the recording. */
	static final long MIN_WAIT_NANOS = 50_000_000;

	static final double MIN_WAIT_SHARE = 0.02;

	/** How many locks are reported at most. */
	static final int MAX_LOCKS = 3;

	@Override
	public List<Finding> detect(RecordedTrace trace) {
		Map<String, Lock> locks = new HashMap<>();
		for (RecordedTrace.Wait wait : trace.waits) {
			// JFR's own locks: recordings starting and stopping (this trace's among them) take them
			if (wait.lockClass().startsWith("jdk.jfr.")) {
				continue;
			}
			String key = wait.kind() + ":" + wait.lockClass() + "@" + Long.toHexString(wait.address());
			locks.computeIfAbsent(key, (k) -> new Lock(wait.kind(), wait.lockClass(), wait.address())).add(wait, trace);
		}
		long least = Math.max(MIN_WAIT_NANOS, (long) (MIN_WAIT_SHARE * trace.length()));
		List<Lock> contended = new ArrayList<>();
		for (Lock lock : locks.values()) {
			if (lock.threads.size() >= 2 && lock.total >= least) {
				contended.add(lock);
			}
		}
		contended.sort(Comparator.comparingLong((Lock lock) -> lock.total).reversed());
		List<Finding> findings = new ArrayList<>();
		for (Lock lock : contended.subList(0, Math.min(MAX_LOCKS, contended.size()))) {
			findings.add(lock.finding(trace.length()));
		}
		return findings;
	}

	/** The waits on one lock. */
	private static final class Lock {

		private final String kind;

		private final String lockClass;

		private final long address;

		private final Set<Long> threads = new HashSet<>();

		private final LabelShares shares = new LabelShares();

		private long total;

		private int waits;

		private RecordedTrace.Wait longest;

		Lock(String kind, String lockClass, long address) {
			this.kind = kind;
			this.lockClass = lockClass;
			this.address = address;
		}

		void add(RecordedTrace.Wait wait, RecordedTrace trace) {
			this.threads.add(wait.threadId());
			this.total += wait.duration();
			this.waits++;
			if (this.longest == null || wait.duration() > this.longest.duration()) {
				this.longest = wait;
			}
			this.shares.add(trace.labels.at(wait.threadId(), wait.start()), wait.duration());
		}

		Finding finding(long length) {
			double share = (length > 0) ? (double) this.total / length : 0;
			String what = this.kind.equals("monitor") ? "to enter a monitor of " + this.lockClass
					: "parked on a " + this.lockClass;
			String majority = this.shares.majority("the wait");
			String summary = this.threads.size() + " threads waited " + Detector.millis(this.total) + " in all "
					+ what + " (" + this.waits + " waits, the longest " + Detector.millis(this.longest.duration())
					+ ")" + ((majority != null) ? "; " + majority + "." : ".");
			Map<String, Object> evidence = new LinkedHashMap<>();
			evidence.put("kind", this.kind);
			evidence.put("lockClass", this.lockClass);
			evidence.put("address", "0x" + Long.toHexString(this.address));
			evidence.put("threads", this.threads.size());
			evidence.put("waits", this.waits);
			evidence.put("totalWaitMs", Detector.ms(this.total));
			evidence.put("longestWaitMs", Detector.ms(this.longest.duration()));
			evidence.put("waitPerSecondOfRecordingMs", Detector.ms((long) (share * 1_000_000_000L)));
			evidence.put("frames", this.longest.frames());
			evidence.put("labels", this.shares.top());
			return new Finding("lock-contention", "Threads queue on one lock",
					(share >= 0.2) ? Finding.Severity.CRITICAL : Finding.Severity.WARNING,
					(int) Math.min(100, 30 + 70 * Math.min(1, share)), summary, evidence,
					"Shorten what runs while the lock is held (the frames show where threads queue for it), split it "
							+ "(per tenant, per key), or use a concurrent structure instead. If one tenant or endpoint "
							+ "makes most of the wait, its requests hold the lock longest: profile them with "
							+ "/actuator/diag/profile?type=lock&focus=tenant=…");
		}

	}

}
