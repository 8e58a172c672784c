package dev.diagkit.endpoint;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the virtual threads out of the JSON thread dump that
 * {@code HotSpotDiagnosticMXBean.dumpThreads} writes on JDK 21+:
 * <pre>
 * {"threadDump": {"processId": "...", "time": "...", "runtimeVersion": "...",
 *   "threadContainers": [
 *     {"container": "&lt;root&gt;", "parent": null, "owner": null, "threadCount": "12",
 *      "threads": [{"tid": "23", "virtual": true, "name": "", "state": "WAITING",
 *                   "parkBlocker": {"object": "..."}, "waitingOn": "...", "blockedOn": "...",
 *                   "stack": ["java.base/java.lang.VirtualThread.park(VirtualThread.java:742)", ...],
 *                   "monitorsOwned": [...], "carrier": "24"}, ...]}, ...]}}
 * </pre>
 * Numbers ({@code tid}, {@code threadCount}) are written as strings. {@code virtual},
 * {@code state} and the lock fields are written by newer JDKs only (25 has them).
 * <p>
 * The file is streamed: one thread object is in memory at a time, and threads with the
 * same stack share one list of frames. Uses Jackson, so it is only loaded once Jackson is
 * known to be present.
 */
final class JsonThreadDumpParser {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private JsonThreadDumpParser() {
	}

	/**
	 * Returns the virtual threads of a JSON thread dump.
	 * @param file the dump
	 * @param platformThreadIds the ids of the platform threads, to tell threads apart when
	 * the dump does not mark virtual ones
	 * @return the virtual threads, each with its container's name
	 */
	static List<ThreadStack> virtualThreads(Path file, Set<Long> platformThreadIds) {
		List<ThreadStack> result = new ArrayList<>();
		Map<List<String>, List<String>> sharedFrames = new HashMap<>();
		try (JsonParser parser = MAPPER.createParser(file)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				return result;
			}
			while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
				String name = parser.currentName();
				JsonToken value = parser.nextToken();
				if ("threadDump".equals(name) && value == JsonToken.START_OBJECT) {
					readThreadDump(parser, platformThreadIds, sharedFrames, result);
				}
				else {
					parser.skipChildren();
				}
			}
		}
		return result;
	}

	private static void readThreadDump(JsonParser parser, Set<Long> platformThreadIds,
			Map<List<String>, List<String>> sharedFrames, List<ThreadStack> result) {
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			String name = parser.currentName();
			JsonToken value = parser.nextToken();
			if ("threadContainers".equals(name) && value == JsonToken.START_ARRAY) {
				while (parser.nextToken() == JsonToken.START_OBJECT) {
					readContainer(parser, platformThreadIds, sharedFrames, result);
				}
			}
			else {
				parser.skipChildren();
			}
		}
	}

	private static void readContainer(JsonParser parser, Set<Long> platformThreadIds,
			Map<List<String>, List<String>> sharedFrames, List<ThreadStack> result) {
		String container = "?";
		List<ThreadStack> threads = new ArrayList<>();
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			String name = parser.currentName();
			JsonToken value = parser.nextToken();
			if ("container".equals(name) && value == JsonToken.VALUE_STRING) {
				container = parser.getString();
			}
			else if ("threads".equals(name) && value == JsonToken.START_ARRAY) {
				while (parser.nextToken() == JsonToken.START_OBJECT) {
					JsonNode node = parser.readValueAsTree();
					ThreadStack thread = readThread(node, platformThreadIds, sharedFrames);
					if (thread != null) {
						threads.add(thread);
					}
				}
			}
			else {
				parser.skipChildren();
			}
		}
		for (ThreadStack thread : threads) {
			result.add(thread.withContainer(container));
		}
	}

	private static @Nullable ThreadStack readThread(JsonNode node, Set<Long> platformThreadIds,
			Map<List<String>, List<String>> sharedFrames) {
		Long tid = longValue(node.get("tid"));
		if (tid == null || !isVirtual(node, tid, platformThreadIds)) {
			return null;
		}
		String name = stringValue(node.get("name"));
		List<String> frames = new ArrayList<>();
		JsonNode stack = node.get("stack");
		if (stack != null && stack.isArray()) {
			for (JsonNode frame : stack.values()) {
				String text = stringValue(frame);
				if (text != null) {
					frames.add(text);
				}
			}
		}
		List<String> shared = sharedFrames.computeIfAbsent(List.copyOf(frames), (key) -> key);
		return new ThreadStack(tid, (name != null) ? name : "", true, null, state(node), shared, lock(node));
	}

	private static boolean isVirtual(JsonNode node, long tid, Set<Long> platformThreadIds) {
		JsonNode flag = node.get("virtual");
		if (flag != null) {
			return flag.isBoolean() && flag.booleanValue();
		}
		if (node.has("state")) {
			// the format that writes a thread's state marks every virtual thread
			return false;
		}
		return !platformThreadIds.contains(tid);
	}

	private static Thread.@Nullable State state(JsonNode node) {
		String state = stringValue(node.get("state"));
		if (state == null) {
			return null;
		}
		try {
			return Thread.State.valueOf(state);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	private static StackGroup.@Nullable Lock lock(JsonNode node) {
		String name = stringValue(node.get("blockedOn"));
		if (name == null) {
			name = stringValue(node.get("waitingOn"));
		}
		if (name == null) {
			JsonNode parkBlocker = node.get("parkBlocker");
			name = (parkBlocker != null) ? stringValue(parkBlocker.get("object")) : null;
		}
		return (name != null) ? new StackGroup.Lock(name, null, null) : null;
	}

	private static @Nullable String stringValue(@Nullable JsonNode node) {
		return (node != null && node.isString()) ? node.stringValue() : null;
	}

	private static @Nullable Long longValue(@Nullable JsonNode node) {
		if (node == null) {
			return null;
		}
		if (node.isIntegralNumber()) {
			return node.longValue();
		}
		if (node.isString()) {
			try {
				return Long.parseLong(node.stringValue().trim());
			}
			catch (NumberFormatException ex) {
				return null;
			}
		}
		return null;
	}

}
