package dev.diagkit.endpoint;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import dev.diagkit.labels.LabelRegistry;
import dev.diagkit.labels.LabelSet;
import dev.diagkit.labels.ThreadLabels;
import org.jspecify.annotations.Nullable;

import org.springframework.http.ResponseEntity;

/**
 * {@code GET /actuator/diag/stacks}: every thread's stack, grouped, with the labels the
 * threads carry ({@link StackDump}), within a size limit ({@link StackReport}). Taking the
 * stacks pauses the application, so the section draws on a {@link PauseBudget} shared by all
 * callers, and every call is audited.
 */
public final class StacksSection implements DiagSectionHandler {

	private static final Set<String> FORMATS = Set.of("json", "text");

	private final @Nullable LabelRegistry labelRegistry;

	private final long maxBytes;

	private final PauseBudget pauses;

	/**
	 * Creates the section.
	 * @param labelRegistry the labels of live threads, or {@code null} when labels are off
	 * @param maxBytes the largest answer
	 * @param pauses how often the section may pause the application
	 */
	public StacksSection(@Nullable LabelRegistry labelRegistry, long maxBytes, PauseBudget pauses) {
		this.labelRegistry = labelRegistry;
		this.maxBytes = maxBytes;
		this.pauses = pauses;
	}

	@Override
	public DiagSection section() {
		return DiagSection.STACKS;
	}

	@Override
	public ResponseEntity<?> read(DiagRequest request) {
		String format = request.choice("format", "json", FORMATS);
		boolean group = request.flag("group", true);
		this.pauses.acquire(section().path());
		StackDump.Snapshot dump = new StackDump(ManagementFactory.getThreadMXBean(), labelsByThreadId()).capture(group);
		StackReport report = new StackReport(dump, this.maxBytes);
		return "text".equals(format) ? DiagResponses.text(report.toText()) : DiagResponses.json(report.toJson());
	}

	private Map<Long, LabelSet> labelsByThreadId() {
		Map<Long, LabelSet> labels = new HashMap<>();
		if (this.labelRegistry != null) {
			for (ThreadLabels thread : this.labelRegistry.threads()) {
				labels.put(thread.threadId(), thread.labels());
			}
		}
		return labels;
	}

	@Override
	public Map<String, Object> limits() {
		return Map.of("stacksMaxBytes", this.maxBytes, "stacksPerMinute", this.pauses.perMinute());
	}

}
