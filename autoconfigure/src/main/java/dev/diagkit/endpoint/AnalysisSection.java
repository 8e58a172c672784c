package dev.diagkit.endpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.diagkit.trace.AnalysisHtmlWriter;
import dev.diagkit.trace.MethodTiming;
import dev.diagkit.trace.TraceAnalyzer;
import dev.diagkit.trace.TraceRecorder;
import dev.diagkit.trace.TraceReport;

import org.jspecify.annotations.Nullable;

import org.springframework.http.ResponseEntity;

/**
 * {@code GET /actuator/diag/analysis}: records a trace of a few seconds, as
 * {@code /trace} does, and answers with what {@link TraceAnalyzer} finds in it; the
 * recording is deleted once read.
 */
public final class AnalysisSection implements DiagSectionHandler {

	private static final List<String> FORMATS = List.of("json", "text", "html");

	private final AnalysisHtmlWriter html = new AnalysisHtmlWriter();

	private final TraceRecorder recorder;

	private final CaptureGate captureGate;

	private final CaptureDurations durations;

	private final long maxBytes;

	private final @Nullable MethodTiming methodTiming;

	private final TraceAnalyzer analyzer;

	/**
	 * Creates the section.
	 * @param recorder records the traces
	 * @param captureGate limits concurrent captures
	 * @param durations how long traces record
	 * @param maxBytes the most data a trace keeps
	 * @param methodTiming checks the methods a trace is asked to time, or {@code null} to
	 * refuse {@code methods}
	 * @param analyzer reads the traces
	 */
	public AnalysisSection(TraceRecorder recorder, CaptureGate captureGate, CaptureDurations durations, long maxBytes,
			@Nullable MethodTiming methodTiming, TraceAnalyzer analyzer) {
		this.recorder = recorder;
		this.captureGate = captureGate;
		this.durations = durations;
		this.maxBytes = maxBytes;
		this.methodTiming = methodTiming;
		this.analyzer = analyzer;
	}

	@Override
	public DiagSection section() {
		return DiagSection.ANALYSIS;
	}

	@Override
	public ResponseEntity<?> read(DiagRequest request) throws Exception {
		Duration duration = this.durations.of(request);
		String format = request.choice("format", "json", FORMATS);
		List<String> methods = TraceSection.methods(this.methodTiming, request.get("methods"));
		TraceReport report;
		// the analysis holds the capture's slot too: reading a large trace takes memory and time
		try (CaptureGate.Slot slot = this.captureGate.enter(duration)) {
			Instant started = Instant.now();
			Path file = this.recorder.record(duration, "profile", this.maxBytes, methods);
			try {
				report = this.analyzer.analyze(file, "capture", started);
			}
			finally {
				delete(file);
			}
		}
		return switch (format) {
			case "text" -> DiagResponses.text(report.toText());
			case "html" -> DiagResponses.html(this.html.write(report));
			default -> DiagResponses.json(report.toMap());
		};
	}

	private void delete(Path file) throws IOException {
		Files.deleteIfExists(file);
		this.recorder.deleted(file);
	}

	@Override
	public Map<String, Object> limits() {
		return this.durations.limits();
	}

}
