package dev.diagkit.endpoint;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.boot.json.JsonWriter;

/**
 * A {@link StackDump.Snapshot} rendered within a size limit, as text ({@link #toText()}) or
 * for a JSON writer ({@link #toJson()}). Groups are added, largest first, until the next one
 * would not fit (measured as the larger of its UTF-8 text and its compact JSON), then the
 * report says how many groups and threads were left out. Spring Boot's {@link JsonWriter}
 * measures the JSON: it writes what Jackson writes, or more (it also escapes {@code DEL}), so
 * the answer never exceeds the limit.
 */
public final class StackReport {

	/**
	 * What a truncated report tells the reader to do.
	 */
	static final String MAX_SIZE_HINT = "raise diagkit.endpoint.stacks.max-size";

	/**
	 * Room kept for the header beyond its measured worst case (the duration may be written
	 * with a few more digits by a JSON library).
	 */
	private static final int HEADER_SLACK = 32;

	private static final JsonWriter<Object> JSON = JsonWriter.standard();

	private final StackDump.Snapshot snapshot;

	private final List<StackGroup> groups;

	private final List<String> texts;

	private final List<Map<String, Object>> jsons;

	private final int omittedGroups;

	private final int omittedThreads;

	/**
	 * Renders a dump.
	 * @param snapshot the dump
	 * @param maxBytes the most bytes the text or the compact JSON may take
	 * @throws IllegalArgumentException if {@code maxBytes} is not positive
	 */
	public StackReport(StackDump.Snapshot snapshot, long maxBytes) {
		if (maxBytes <= 0) {
			throw new IllegalArgumentException("maxBytes must be positive, was " + maxBytes);
		}
		this.snapshot = snapshot;
		List<StackGroup> allGroups = snapshot.groups();
		long header = Math.max(utf8Length(header(allGroups.size(), snapshot.threadCount())),
				jsonSize(envelope(allGroups.size(), snapshot.threadCount(), List.of())));
		long budget = maxBytes - header - HEADER_SLACK;
		long used = 0;
		int keptThreads = 0;
		List<String> keptTexts = new ArrayList<>();
		List<Map<String, Object>> keptJsons = new ArrayList<>();
		for (StackGroup group : allGroups) {
			StringBuilder text = new StringBuilder();
			group.appendText(text, snapshot.grouped());
			Map<String, Object> json = Collections.unmodifiableMap(group.toJson(snapshot.grouped()));
			// one more byte: the blank line before the text, the comma between JSON entries
			long cost = Math.max(utf8Length(text), jsonSize(json)) + 1;
			if (used + cost > budget) {
				break;
			}
			used += cost;
			keptThreads += group.count();
			keptTexts.add(text.toString());
			keptJsons.add(json);
		}
		this.groups = List.copyOf(allGroups.subList(0, keptTexts.size()));
		this.texts = keptTexts;
		this.jsons = Collections.unmodifiableList(keptJsons);
		this.omittedGroups = allGroups.size() - keptTexts.size();
		this.omittedThreads = snapshot.threadCount() - keptThreads;
	}

	/**
	 * Returns the dump this report renders.
	 * @return the dump, with every group
	 */
	public StackDump.Snapshot snapshot() {
		return this.snapshot;
	}

	/**
	 * Returns the groups that fit in the size limit, largest first, then by first thread
	 * name.
	 * @return the groups
	 */
	public List<StackGroup> groups() {
		return this.groups;
	}

	/**
	 * Returns whether groups were left out to respect the size limit.
	 * @return whether the report is truncated
	 */
	boolean truncated() {
		return this.omittedGroups > 0;
	}

	/**
	 * Returns how many groups were left out to respect the size limit.
	 * @return the number of groups left out
	 */
	int omittedGroups() {
		return this.omittedGroups;
	}

	/**
	 * Returns how many threads the left-out groups have.
	 * @return the number of threads left out
	 */
	int omittedThreads() {
		return this.omittedThreads;
	}

	/**
	 * Renders the dump as text, Go-style: a line of totals, then each group as a line
	 * {@code 12 threads @ WAITING [tenant=acme (3), no labels (9)]}, the quoted thread
	 * names, the lock the first thread waits on, and the frames indented by a tab, with a
	 * blank line between groups.
	 * @return the text, at most the size limit in UTF-8 bytes
	 */
	public String toText() {
		StringBuilder out = new StringBuilder(header(this.omittedGroups, this.omittedThreads));
		for (String text : this.texts) {
			out.append('\n').append(text);
		}
		return out.toString();
	}

	/**
	 * Renders the dump as a JSON-ready map: {@code threadCount}, {@code virtualThreadCount},
	 * {@code groupCount}, {@code grouped}, {@code tookMillis}, {@code truncated},
	 * {@code omittedGroups}, {@code omittedThreads}, {@code hint} (when truncated),
	 * {@code virtualThreadsOmitted} (when virtual threads are missing) and {@code stacks}:
	 * one object per group with {@code count}, {@code state}, {@code virtual},
	 * {@code container} (virtual threads), {@code threadId} (when not grouped),
	 * {@code threads}, {@code labels} ({@code [{"labels": {...}, "count": n}]}),
	 * {@code unlabelled}, {@code lock}, {@code lockOwner}, {@code lockOwnerId} (when
	 * waiting on a lock) and {@code frames}.
	 * @return the map; written as compact JSON it takes at most the size limit
	 */
	public Map<String, Object> toJson() {
		return envelope(this.omittedGroups, this.omittedThreads, this.jsons);
	}

	private String header(int omittedGroups, int omittedThreads) {
		StackDump.Snapshot dump = this.snapshot;
		int groupCount = dump.groups().size();
		StringBuilder out = new StringBuilder();
		out.append(dump.threadCount())
			.append((dump.threadCount() == 1) ? " thread (" : " threads (")
			.append(dump.virtualThreadCount())
			.append(" virtual)");
		if (dump.grouped()) {
			out.append(" in ").append(groupCount).append((groupCount == 1) ? " group" : " groups");
		}
		else {
			out.append(", one entry per thread");
		}
		out.append(", dump took ").append(String.format(Locale.ROOT, "%.1f", tookMillis())).append(" ms\n");
		if (omittedGroups > 0) {
			out.append("truncated: ").append(omittedGroups).append(" of ").append(groupCount);
			if (dump.grouped()) {
				out.append(" groups (").append(omittedThreads).append(" threads)");
			}
			else {
				out.append(" threads");
			}
			out.append(" left out; ").append(MAX_SIZE_HINT).append('\n');
		}
		if (dump.virtualThreadsOmitted() != null) {
			out.append("virtual threads not included: ").append(dump.virtualThreadsOmitted()).append('\n');
		}
		return out.toString();
	}

	private Map<String, Object> envelope(int omittedGroups, int omittedThreads, List<Map<String, Object>> stacks) {
		StackDump.Snapshot dump = this.snapshot;
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("threadCount", dump.threadCount());
		json.put("virtualThreadCount", dump.virtualThreadCount());
		json.put("groupCount", dump.groups().size());
		json.put("grouped", dump.grouped());
		json.put("tookMillis", tookMillis());
		json.put("truncated", omittedGroups > 0);
		json.put("omittedGroups", omittedGroups);
		json.put("omittedThreads", omittedThreads);
		if (omittedGroups > 0) {
			json.put("hint", MAX_SIZE_HINT);
		}
		if (dump.virtualThreadsOmitted() != null) {
			json.put("virtualThreadsOmitted", dump.virtualThreadsOmitted());
		}
		json.put("stacks", stacks);
		return json;
	}

	private double tookMillis() {
		return Math.round(this.snapshot.took().toNanos() / 100_000.0) / 10.0;
	}

	/**
	 * Returns how many bytes the compact JSON of a value takes, as Spring Boot's
	 * {@link JsonWriter} writes it in UTF-8: what Jackson writes, or a few bytes more.
	 */
	static long jsonSize(Object value) {
		return utf8Length(JSON.writeToString(value));
	}

	private static long utf8Length(CharSequence text) {
		return text.toString().getBytes(StandardCharsets.UTF_8).length;
	}

}
