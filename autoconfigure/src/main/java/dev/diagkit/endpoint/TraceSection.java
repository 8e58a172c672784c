package dev.diagkit.endpoint;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.diagkit.trace.MethodTiming;
import dev.diagkit.trace.TraceRecorder;

import org.jspecify.annotations.Nullable;

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

	private final @Nullable MethodTiming methodTiming;

	/**
	 * Creates the section, which times no methods.
	 * @param recorder records the traces
	 * @param captureGate limits concurrent captures
	 * @param durations how long traces record
	 * @param maxBytes the most data a trace keeps
	 */
	public TraceSection(TraceRecorder recorder, CaptureGate captureGate, CaptureDurations durations, long maxBytes) {
		this(recorder, captureGate, durations, maxBytes, null);
	}

	/**
	 * Creates the section.
	 * @param recorder records the traces
	 * @param captureGate limits concurrent captures
	 * @param durations how long traces record
	 * @param maxBytes the most data a trace keeps
	 * @param methodTiming checks the methods a trace is asked to time, or {@code null} to
	 * refuse {@code methods}
	 */
	public TraceSection(TraceRecorder recorder, CaptureGate captureGate, CaptureDurations durations, long maxBytes,
			@Nullable MethodTiming methodTiming) {
		this.recorder = recorder;
		this.captureGate = captureGate;
		this.durations = durations;
		this.maxBytes = maxBytes;
		this.methodTiming = methodTiming;
	}

	@Override
	public DiagSection section() {
		return DiagSection.TRACE;
	}

	@Override
	public ResponseEntity<?> read(DiagRequest request) throws Exception {
		Duration duration = this.durations.of(request);
		String settings = request.choice("settings", "profile", TraceRecorder.SETTINGS);
		List<String> methods = methods(this.methodTiming, request.get("methods"));
		Path file;
		try (CaptureGate.Slot slot = this.captureGate.enter(duration)) {
			file = this.recorder.record(duration, settings, this.maxBytes, methods);
		}
		String filename = "diag-" + CaptureFiles.time(Instant.now()) + ".jfr";
		Resource resource = new TemporaryFileResource(file, filename, this.recorder::deleted);
		return DiagResponses.download(resource, filename);
	}

	/**
	 * Checks the methods a capture is asked to time.
	 * @param methodTiming what checks them, or {@code null} when none may be
	 * @param methods the {@code methods} parameter, or {@code null}
	 * @return the methods, empty for none
	 * @throws InvalidParameterException saying what is wrong and what is accepted
	 */
	static List<String> methods(@Nullable MethodTiming methodTiming, @Nullable String methods) {
		if (methods == null) {
			return List.of();
		}
		if (methodTiming == null) {
			throw new InvalidParameterException("'methods' is not available: method timing is not configured");
		}
		try {
			return methodTiming.select(methods);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidParameterException("'methods': " + ex.getMessage());
		}
	}

	@Override
	public Map<String, Object> limits() {
		Map<String, Object> limits = new LinkedHashMap<>(this.durations.limits());
		limits.put("traceMaxBytes", this.maxBytes);
		if (this.methodTiming != null) {
			limits.put("traceMaxMethods", this.methodTiming.maxMethods());
		}
		return limits;
	}

}
