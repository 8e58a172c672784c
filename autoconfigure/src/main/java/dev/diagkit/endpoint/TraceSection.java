package dev.diagkit.endpoint;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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

	/**
	 * Creates the section.
	 * @param recorder records the traces
	 * @param captureGate limits concurrent captures
	 * @param durations how long traces record
	 */
	public TraceSection(TraceRecorder recorder, CaptureGate captureGate, CaptureDurations durations) {
		this.recorder = recorder;
		this.captureGate = captureGate;
		this.durations = durations;
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
			file = this.recorder.record(duration, settings);
		}
		String filename = "diag-" + CaptureFiles.time(Instant.now()) + ".jfr";
		Resource resource = new TemporaryFileResource(file, filename, this.recorder::deleted);
		return DiagResponses.download(resource, filename);
	}

	@Override
	public Map<String, Object> limits() {
		return this.durations.limits();
	}

}
