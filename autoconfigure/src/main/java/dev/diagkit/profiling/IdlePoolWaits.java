package dev.diagkit.profiling;

import java.util.List;
import java.util.Set;

import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;

/**
 * Tells the waits of pool workers that have nothing to do from contention. A worker of an
 * idle pool parks in the method that hands it its next task, and JFR records that park like
 * any other: in a lock profile of a quiet service such waits are most of the delay, and hide
 * the monitors and locks threads really queue on. The methods below only wait for work and
 * call no application code, so a park beneath one of them is idleness, whatever queue
 * (linked, synchronous, delayed) the pool takes its tasks from.
 */
public final class IdlePoolWaits {

	/** Class and method names, joined by {@code #}, of the "next task" methods of pools. */
	static final Set<String> NEXT_TASK_METHODS = Set.of(
			"java.util.concurrent.ThreadPoolExecutor#getTask",
			"java.util.concurrent.ForkJoinPool#awaitWork",
			"org.apache.tomcat.util.threads.ThreadPoolExecutor#getTask",
			"org.eclipse.jetty.util.thread.QueuedThreadPool$Runner#idleJobPoll",
			"org.eclipse.jetty.util.thread.ReservedThreadExecutor$ReservedThread#reservedWait",
			"io.netty.util.concurrent.SingleThreadEventExecutor#takeTask");

	/**
	 * Loops that also run the jobs they take, so they wait for work only where they call a
	 * queue's {@code poll} or {@code take} themselves.
	 */
	static final Set<String> QUEUE_CONSUMERS = Set.of("dev.diagkit.propagation.LabeledJobConsumer#consume");

	/** Where a capture waits for its own recording to end: in every lock profile, never contention. */
	private static final String CAPTURE_WAIT = JfrRecordings.class.getName() + "#awaitEnd";

	/** Parks of idle workers sit a few frames below the method: no deeper search is needed. */
	private static final int FRAMES_SEARCHED = 16;

	private IdlePoolWaits() {
	}

	private static boolean isQueueWait(RecordedFrame callee) {
		String method = callee.getMethod().getName();
		return (method.equals("poll") || method.equals("take"))
				&& callee.getMethod().getType().getName().startsWith("java.util.concurrent.");
	}

	/**
	 * Returns whether a recorded wait is diagkit's own capture waiting for its recording to
	 * end (the thread that asked for a profile).
	 * @param stack the stack of a {@code jdk.ThreadPark} event
	 * @return whether the wait is the capture's own
	 */
	public static boolean isCaptureWait(RecordedStackTrace stack) {
		List<RecordedFrame> frames = stack.getFrames();
		int depth = Math.min(frames.size(), FRAMES_SEARCHED);
		for (int i = 0; i < depth; i++) {
			RecordedFrame frame = frames.get(i);
			if (frame.getMethod().getName().equals("awaitEnd")
					&& CAPTURE_WAIT.equals(frame.getMethod().getType().getName() + "#awaitEnd")) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Returns whether a recorded wait is a pool worker waiting for its next task.
	 * @param stack the stack of a {@code jdk.ThreadPark} event
	 * @return whether the wait is idleness
	 */
	public static boolean isIdle(RecordedStackTrace stack) {
		List<RecordedFrame> frames = stack.getFrames();
		int depth = Math.min(frames.size(), FRAMES_SEARCHED);
		for (int i = 0; i < depth; i++) {
			RecordedFrame frame = frames.get(i);
			String method = frame.getMethod().getName();
			// cheap test first: every listed method has one of these names
			if (method.equals("getTask") || method.equals("awaitWork") || method.equals("idleJobPoll")
					|| method.equals("reservedWait") || method.equals("takeTask")) {
				if (NEXT_TASK_METHODS.contains(frame.getMethod().getType().getName() + "#" + method)) {
					return true;
				}
			}
			else if (method.equals("consume") && i > 0 && isQueueWait(frames.get(i - 1))
					&& QUEUE_CONSUMERS.contains(frame.getMethod().getType().getName() + "#" + method)) {
				return true;
			}
		}
		return false;
	}

}
