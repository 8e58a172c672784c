package dev.diagkit.endpoint;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.diagkit.memory.AdaptiveHeapController;
import dev.diagkit.memory.Collector;
import dev.diagkit.memory.HeapTargetPolicy;
import dev.diagkit.runtime.DurationFormat;
import org.jspecify.annotations.Nullable;

import org.springframework.http.ResponseEntity;

/**
 * {@code GET|POST /actuator/diag/memory}: where the adaptive heap target stands (mode,
 * lever, base, floor, target, the pressure and GC share it was decided on, the latest
 * changes), and, for an admin, pausing or resuming it and setting its base.
 */
public final class MemorySection implements DiagSectionHandler {

	private static final Set<String> ACTIONS = Set.of("pause", "resume");

	private final AdaptiveHeapController controller;

	private final Collector collector;

	private final HeapTargetPolicy.Settings policy;

	/**
	 * Creates the section.
	 * @param controller the adaptive heap target's controller
	 * @param collector the collector the JVM runs
	 * @param policy the thresholds the controller decides by
	 */
	public MemorySection(AdaptiveHeapController controller, Collector collector, HeapTargetPolicy.Settings policy) {
		this.controller = controller;
		this.collector = collector;
		this.policy = policy;
	}

	@Override
	public DiagSection section() {
		return DiagSection.MEMORY;
	}

	@Override
	public ResponseEntity<?> read(DiagRequest request) {
		return DiagResponses.json(body(this.controller.status()));
	}

	@Override
	public ResponseEntity<?> write(DiagRequest request) {
		String action = request.choice("action", "", ACTIONS);
		String base = request.get("base");
		if (action.isEmpty() && base == null) {
			throw new InvalidParameterException("Give action (pause or resume), base (a size such as 300MB, "
					+ "between the floor and the maximum heap, or max), or both");
		}
		AdaptiveHeapController.Status status = this.controller.status();
		if (!status.running()) {
			throw new InvalidParameterException("The adaptive heap target is not running: no memory pressure can "
					+ "be read here, so there is nothing to pause, resume or set (see "
					+ "diagkit.memory.adaptive.pressure-path)");
		}
		String by = (request.principal() != null) ? request.principal() : "anonymous";
		if (base != null) {
			Long size = "max".equalsIgnoreCase(base.trim()) ? Long.valueOf(status.maxHeap())
					: request.size("base", ", or max");
			try {
				this.controller.setBase(size, by);
			}
			catch (IllegalArgumentException ex) {
				// the controller names its argument "base", as the parameter is named
				throw new InvalidParameterException(ex.getMessage().replaceFirst("^base ", "'base' "));
			}
		}
		if ("pause".equals(action)) {
			this.controller.pause(by);
		}
		else if ("resume".equals(action)) {
			this.controller.resume(by);
		}
		return read(request);
	}

	private Map<String, Object> body(AdaptiveHeapController.Status status) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("mode", mode(status));
		body.put("collector", this.collector.name());
		body.put("lever", status.lever());
		body.put("period", DurationFormat.format(status.period()));
		body.put("maxHeapBytes", status.maxHeap());
		body.put("baseBytes", status.base());
		body.put("floorBytes", status.floor());
		body.put("targetBytes", status.target());
		MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
		Map<String, Object> heapNow = new LinkedHashMap<>();
		heapNow.put("committedBytes", heap.getCommitted());
		heapNow.put("usedBytes", heap.getUsed());
		heapNow.put("liveAfterGcBytes", (status.lastReading() != null) ? status.lastReading().liveBytes() : null);
		body.put("heap", heapNow);
		Map<String, Object> pressure = new LinkedHashMap<>();
		pressure.put("source", status.pressureSource());
		pressure.put("someAvg10", (status.lastReading() != null) ? number(status.lastReading().pressure()) : null);
		pressure.put("high", this.policy.highPressure());
		pressure.put("low", this.policy.lowPressure());
		body.put("pressure", pressure);
		Map<String, Object> gcShare = new LinkedHashMap<>();
		gcShare.put("value", (status.lastReading() != null) ? number(status.lastReading().gcShare()) : null);
		gcShare.put("cap", this.policy.gcShareCap());
		body.put("gcShare", gcShare);
		body.put("lastReason", (status.lastDecision() != null) ? reason(status.lastDecision().reason()) : null);
		List<Map<String, Object>> history = new ArrayList<>();
		for (AdaptiveHeapController.Change change : status.history()) {
			Map<String, Object> entry = new LinkedHashMap<>();
			entry.put("at", change.at().toString());
			entry.put("fromBytes", change.from());
			entry.put("toBytes", change.to());
			entry.put("reason", reason(change.decision().reason()));
			entry.put("floorBytes", change.decision().floor());
			entry.put("pressure", number(change.reading().pressure()));
			entry.put("gcShare", number(change.reading().gcShare()));
			entry.put("liveAfterGcBytes", change.reading().liveBytes());
			history.add(entry);
		}
		body.put("history", history);
		return body;
	}

	private static String mode(AdaptiveHeapController.Status status) {
		if (!status.running()) {
			return "stopped";
		}
		if (status.paused()) {
			return "paused";
		}
		return status.moves() ? "adaptive" : "observe-only";
	}

	private static String reason(HeapTargetPolicy.Reason reason) {
		return reason.name().toLowerCase(Locale.ROOT);
	}

	/** JSON has no NaN: a figure not known is null. */
	private static @Nullable Double number(double value) {
		return Double.isFinite(value) ? value : null;
	}

}
