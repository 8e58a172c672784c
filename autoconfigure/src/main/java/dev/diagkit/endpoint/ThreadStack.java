package dev.diagkit.endpoint;

import java.lang.management.ThreadInfo;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One thread's stack as a thread dump saw it, from {@link ThreadInfo} (platform threads) or
 * from the JDK's JSON thread dump (virtual threads).
 *
 * @param id the thread's id
 * @param name the thread's name, possibly empty (virtual threads usually have none)
 * @param virtual whether it is a virtual thread
 * @param container the name of its thread container (virtual threads only)
 * @param state its state, or {@code null} when the dump did not say
 * @param frames its frames, innermost first, as {@link #frame(StackTraceElement)} writes them
 * @param lock the lock it waits on, or {@code null}
 */
record ThreadStack(long id, String name, boolean virtual, @Nullable String container, Thread.@Nullable State state,
		List<String> frames, StackGroup.@Nullable Lock lock) {

	static ThreadStack of(ThreadInfo info) {
		StackTraceElement[] trace = info.getStackTrace();
		List<String> frames = new ArrayList<>(trace.length);
		for (StackTraceElement element : trace) {
			frames.add(frame(element));
		}
		String lockName = info.getLockName();
		StackGroup.Lock lock = null;
		if (lockName != null) {
			String ownerName = info.getLockOwnerName();
			lock = new StackGroup.Lock(lockName, ownerName, (ownerName != null) ? info.getLockOwnerId() : null);
		}
		String name = info.getThreadName();
		return new ThreadStack(info.getThreadId(), (name != null) ? name : "", false, null, info.getThreadState(),
				List.copyOf(frames), lock);
	}

	/**
	 * Writes a frame as {@link StackTraceElement#toString()} does for a stack taken with
	 * {@link Thread#getStackTrace()}: {@code java.base/java.lang.Thread.sleep(Native Method)},
	 * {@code com.acme.Foo.bar(Foo.java:42)}. Elements from {@link ThreadInfo} lack the hints
	 * that make {@code toString()} leave out the built-in class loaders' names and the JDK
	 * modules' versions ({@code app//com.acme...}, {@code java.base@17.0.15/...}), so the
	 * same is done here by name.
	 * @param element the frame
	 * @return the frame as text
	 */
	static String frame(StackTraceElement element) {
		StringBuilder out = new StringBuilder(96);
		String loader = element.getClassLoaderName();
		if (loader != null && !loader.isEmpty() && !"app".equals(loader) && !"platform".equals(loader)) {
			out.append(loader).append('/');
		}
		String module = element.getModuleName();
		if (module != null && !module.isEmpty()) {
			out.append(module);
			String version = element.getModuleVersion();
			if (version != null && !version.isEmpty() && !module.startsWith("java.") && !module.startsWith("jdk.")) {
				out.append('@').append(version);
			}
			out.append('/');
		}
		else if (out.length() > 0) {
			out.append('/');
		}
		out.append(element.getClassName()).append('.').append(element.getMethodName()).append('(');
		if (element.isNativeMethod()) {
			out.append("Native Method");
		}
		else if (element.getFileName() == null) {
			out.append("Unknown Source");
		}
		else {
			out.append(element.getFileName());
			if (element.getLineNumber() >= 0) {
				out.append(':').append(element.getLineNumber());
			}
		}
		return out.append(')').toString();
	}

	/**
	 * Returns the name to show: the thread's name, or {@code #id} when it has none.
	 * @return the display name
	 */
	String displayName() {
		return this.name.isEmpty() ? "#" + this.id : this.name;
	}

	ThreadStack withFrames(List<String> frames) {
		return new ThreadStack(this.id, this.name, this.virtual, this.container, this.state, frames, this.lock);
	}

	ThreadStack withContainer(String container) {
		return new ThreadStack(this.id, this.name, this.virtual, container, this.state, this.frames, this.lock);
	}

}
