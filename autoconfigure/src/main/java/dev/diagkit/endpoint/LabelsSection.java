package dev.diagkit.endpoint;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.diagkit.labels.LabelPolicy;
import dev.diagkit.labels.LabelRegistry;
import dev.diagkit.labels.LeakedScopes;
import dev.diagkit.labels.ThreadLabels;
import dev.diagkit.runtime.DurationFormat;

import org.springframework.http.ResponseEntity;

/**
 * {@code GET /actuator/diag/labels}: live threads with their labels, counts per label,
 * stale {@code replace} scopes and the label policy's overflow.
 */
public final class LabelsSection implements DiagSectionHandler {

	private final LabelRegistry registry;

	private final LabelPolicy policy;

	/**
	 * Creates the section.
	 * @param registry the labels of live threads
	 * @param policy the label policy
	 */
	public LabelsSection(LabelRegistry registry, LabelPolicy policy) {
		this.registry = registry;
		this.policy = policy;
	}

	@Override
	public DiagSection section() {
		return DiagSection.LABELS;
	}

	@Override
	public ResponseEntity<?> read(DiagRequest request) {
		List<ThreadLabels> threads = this.registry.threads();
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("enabled", true);
		body.put("threads", threads.stream().map(LabelsSection::thread).toList());
		body.put("counts", LabelRegistry.activeCounts(threads));
		body.put("staleAfter", DurationFormat.format(this.registry.staleAfter()));
		body.put("stale", threads.stream().filter(ThreadLabels::stale).map(LabelsSection::thread).toList());
		Map<String, Object> leaked = new LinkedHashMap<>();
		leaked.put("counts", LeakedScopes.counts());
		leaked.put("recent", LeakedScopes.recent().stream().map(LabelsSection::leak).toList());
		body.put("leakedScopes", leaked);
		Map<String, Object> policy = new LinkedHashMap<>();
		policy.put("maxValuesPerKey", this.policy.maxValuesPerKey());
		policy.put("valueTtl", DurationFormat.format(this.policy.valueTtl()));
		policy.put("overflowValue", this.policy.overflowValue());
		policy.put("overflowCounts", this.policy.overflowCounts());
		policy.put("distinctValues", this.policy.distinctValueCounts());
		body.put("policy", policy);
		return DiagResponses.json(body);
	}

	private static Map<String, Object> leak(LeakedScopes.Leak leak) {
		Map<String, Object> entry = new LinkedHashMap<>();
		entry.put("kind", leak.kind());
		entry.put("labels", leak.labels().asMap());
		entry.put("thread", leak.thread());
		entry.put("owner", leak.owner());
		entry.put("ownerLabels", leak.ownerLabels().asMap());
		entry.put("at", leak.at());
		return entry;
	}

	private static Map<String, Object> thread(ThreadLabels thread) {
		Map<String, Object> entry = new LinkedHashMap<>();
		entry.put("id", thread.threadId());
		entry.put("name", thread.threadName());
		entry.put("virtual", thread.virtual());
		entry.put("labels", thread.labels().asMap());
		entry.put("since", thread.since());
		entry.put("replacedAt", thread.replacedAt());
		entry.put("inherited", thread.inherited());
		entry.put("stale", thread.stale());
		return entry;
	}

}
