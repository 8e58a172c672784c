package dev.diagkit.endpoint;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.diagkit.trace.TraceRecorder;

import org.springframework.core.io.Resource;
import org.springframework.http.ResponseEntity;

/**
 * {@code GET /actuator/diag/trace}: a JFR recording of a few seconds, streamed as a file and
 * deleted once sent.
 */
public final class TraceSection implements DiagSectionHandler {

	private final TraceRecorder recorder;

	private final CaptureGate captureGate;

	private final CaptureDurations durations;

	private final long maxBytes;

	/**
	 * Creates the section.
	 * @param recorder records the traces
	 * @param captureGate limits concurrent captures
	 * @param durations how long traces record
	 * @param maxBytes the most data a trace keeps
	 */
	public TraceSection(TraceRecorder recorder, CaptureGate captureGate, CaptureDurations durations, long maxBytes) {
		this.recorder = recorder;
		this.captureGate = captureGate;
		this.durations = durations;
		this.maxBytes = maxBytes;
	}

	@Override
	public DiagSection section() {
		return DiagSection.TRACE;
	}

	@Override
	public ResponseEntity<?> read(DiagRequest request) throws Exception {
		Duration duration = this.durations.of(request);
		String settings = request.choice("settings", "profile", TraceRecorder.SETTINGS);
		Path file;
		try (CaptureGate.Slot slot = this.captureGate.enter(duration)) {
			file = this.recorder.record(duration, settings, this.maxBytes);
		}
		String filename = "diag-" + CaptureFiles.time(Instant.now()) + ".jfr";
		Resource resource = new TemporaryFileResource(file, filename, this.recorder::deleted);
		return DiagResponses.download(resource, filename);
	}

	@Override
	public Map<String, Object> limits() {
		Map<String, Object> limits = new LinkedHashMap<>(this.durations.limits());
		limits.put("traceMaxBytes", this.maxBytes);
		return limits;
	}

}
