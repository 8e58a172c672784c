package dev.diagkit.endpoint;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.diagkit.labels.LabelSet;
import org.jspecify.annotations.Nullable;

/**
 * Threads of one {@link StackDump} that are in the same state with the same stack (and, for
 * virtual threads, in the same thread container); a single thread when the dump was not
 * grouped.
 * <p>
 * Threads without a name (virtual threads usually have none) are named {@code #id}.
 *
 * @param state the threads' state, or {@code null} when the dump did not say (virtual
 * threads on JDKs whose JSON thread dump has no state)
 * @param virtual whether the threads are virtual threads
 * @param container the name of the virtual threads' thread container, such as
 * {@code <root>} or {@code java.util.concurrent.ThreadPerTaskExecutor@6aeb35e6};
 * {@code null} for platform threads
 * @param frames the stack, innermost frame first, written as in a thread dump:
 * {@code java.base/java.lang.Thread.sleep(Native Method)},
 * {@code com.acme.Foo.bar(Foo.java:42)}
 * @param threadNames the names of all the threads, sorted
 * @param threadIds the ids of the threads, in the order of their names
 * @param labels each distinct set of labels carried by some of the threads, with how many
 * carry it, most carried first
 * @param unlabelled how many of the threads carry no labels
 * @param lock the lock the first thread waits on, or {@code null} if it waits on none
 */
public record StackGroup(Thread.@Nullable State state, boolean virtual, @Nullable String container,
		List<String> frames, List<String> threadNames, List<Long> threadIds, List<LabelCount> labels, int unlabelled,
		@Nullable Lock lock) {

	/**
	 * Creates a group; the lists are copied.
	 */
	public StackGroup {
		frames = List.copyOf(frames);
		threadNames = List.copyOf(threadNames);
		threadIds = List.copyOf(threadIds);
		labels = List.copyOf(labels);
	}

	/**
	 * Returns how many threads the group has.
	 * @return the number of threads
	 */
	public int count() {
		return this.threadNames.size();
	}

	void appendText(StringBuilder out, boolean grouped) {
		if (grouped) {
			out.append(count()).append(this.virtual ? " virtual" : "").append((count() == 1) ? " thread" : " threads");
		}
		else {
			String name = this.threadNames.get(0);
			String id = "#" + this.threadIds.get(0);
			out.append(id);
			if (!name.equals(id)) {
				out.append(' ');
				appendQuoted(out, name);
			}
			if (this.virtual) {
				out.append(" virtual");
			}
		}
		if (this.state != null) {
			out.append(" @ ").append(this.state.name());
		}
		if (this.container != null) {
			out.append(" in ").append(this.container);
		}
		appendLabels(out, grouped);
		out.append('\n');
		if (grouped) {
			for (int i = 0; i < this.threadNames.size(); i++) {
				if (i > 0) {
					out.append(", ");
				}
				appendQuoted(out, this.threadNames.get(i));
			}
			out.append('\n');
		}
		if (this.lock != null) {
			out.append("- ");
			if (grouped) {
				appendQuoted(out, this.threadNames.get(0));
				out.append(' ');
			}
			out.append((this.state == Thread.State.BLOCKED) ? "blocked on " : "waiting on ").append(this.lock.name());
			if (this.lock.ownerName() != null) {
				out.append(" owned by ");
				appendQuoted(out, this.lock.ownerName());
				if (this.lock.ownerId() != null) {
					out.append(" #").append(this.lock.ownerId());
				}
			}
			out.append('\n');
		}
		for (String frame : this.frames) {
			out.append('\t').append(frame).append('\n');
		}
	}

	private void appendLabels(StringBuilder out, boolean grouped) {
		if (this.labels.isEmpty()) {
			return;
		}
		out.append(" [");
		for (int i = 0; i < this.labels.size(); i++) {
			LabelCount entry = this.labels.get(i);
			if (i > 0) {
				out.append(", ");
			}
			appendLabelSet(out, entry.labels());
			if (grouped) {
				out.append(" (").append(entry.count()).append(')');
			}
		}
		if (grouped && this.unlabelled > 0) {
			out.append(", no labels (").append(this.unlabelled).append(')');
		}
		out.append(']');
	}

	private static void appendLabelSet(StringBuilder out, LabelSet labels) {
		boolean[] first = { true };
		labels.forEach((key, value) -> {
			if (!first[0]) {
				out.append(' ');
			}
			first[0] = false;
			out.append(key).append('=').append(value);
		});
	}

	private static void appendQuoted(StringBuilder out, String name) {
		out.append('"').append(name).append('"');
	}

	Map<String, Object> toJson(boolean grouped) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("count", count());
		if (this.state != null) {
			json.put("state", this.state.name());
		}
		json.put("virtual", this.virtual);
		if (this.container != null) {
			json.put("container", this.container);
		}
		if (!grouped) {
			json.put("threadId", this.threadIds.get(0));
		}
		json.put("threads", this.threadNames);
		List<Map<String, Object>> labelCounts = new ArrayList<>(this.labels.size());
		for (LabelCount entry : this.labels) {
			Map<String, Object> labelCount = new LinkedHashMap<>();
			labelCount.put("labels", entry.labels().asMap());
			labelCount.put("count", entry.count());
			labelCounts.add(labelCount);
		}
		json.put("labels", labelCounts);
		json.put("unlabelled", this.unlabelled);
		if (this.lock != null) {
			json.put("lock", this.lock.name());
			if (this.lock.ownerName() != null) {
				json.put("lockOwner", this.lock.ownerName());
			}
			if (this.lock.ownerId() != null) {
				json.put("lockOwnerId", this.lock.ownerId());
			}
		}
		json.put("frames", this.frames);
		return json;
	}

	/**
	 * A set of labels and how many threads of a group carry it.
	 *
	 * @param labels the labels, never empty
	 * @param count how many threads carry exactly these labels
	 */
	public record LabelCount(LabelSet labels, int count) {
	}

	/**
	 * A lock a thread waits on, to enter it (state {@code BLOCKED}) or to be notified or
	 * unparked (for a parked thread this is the park blocker, such as a
	 * {@code CountDownLatch$Sync}).
	 *
	 * @param name the lock as {@code class@identity}
	 * @param ownerName the name of the thread that holds it, or {@code null} when unknown
	 * @param ownerId the id of the thread that holds it, or {@code null} when unknown
	 */
	public record Lock(String name, @Nullable String ownerName, @Nullable Long ownerId) {
	}

}
