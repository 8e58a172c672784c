package dev.diagkit.endpoint;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.diagkit.labels.LabelRegistry;
import dev.diagkit.labels.LabelSet;
import dev.diagkit.labels.ThreadLabels;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the stack dump tests of platform and virtual threads share.
 */
final class StackDumpTestSupport {

	private StackDumpTestSupport() {
	}

	static StackGroup onlyGroupWith(StackReport result, String method) {
		List<StackGroup> groups = result.groups()
			.stream()
			.filter((group) -> group.frames().stream().anyMatch((frame) -> frame.contains("." + method + "(")))
			.toList();
		assertThat(groups).as("groups parked in %s", method).hasSize(1);
		return groups.get(0);
	}

	@SuppressWarnings("unchecked")
	static List<Map<String, Object>> stacks(Map<String, Object> json) {
		return (List<Map<String, Object>>) json.get("stacks");
	}

	static Map<Long, LabelSet> labelsNow() {
		try (LabelRegistry registry = new LabelRegistry(Duration.ofMinutes(1))) {
			return registry.threads()
				.stream()
				.collect(Collectors.toMap(ThreadLabels::threadId, ThreadLabels::labels, (a, b) -> b, HashMap::new));
		}
	}

}
