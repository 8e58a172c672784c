package dev.diagkit.endpoint;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A one-thread scheduler whose daemon thread exists only while tasks are pending: it starts
 * with the first task and ends after a second without work, so an idle section holds no
 * thread. Its owner shuts it down when it closes.
 */
final class DaemonScheduler {

	private DaemonScheduler() {
	}

	static ScheduledThreadPoolExecutor create(String threadName) {
		ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread thread = new Thread(task, threadName);
			thread.setDaemon(true);
			return thread;
		});
		scheduler.setKeepAliveTime(1, TimeUnit.SECONDS);
		scheduler.allowCoreThreadTimeOut(true);
		scheduler.setRemoveOnCancelPolicy(true);
		return scheduler;
	}

}
