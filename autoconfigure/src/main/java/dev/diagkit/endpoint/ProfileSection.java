package dev.diagkit.endpoint;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import dev.diagkit.labels.LabelSet;
import dev.diagkit.profiling.CollapsedWriter;
import dev.diagkit.profiling.FlameGraphHtmlWriter;
import dev.diagkit.profiling.PprofWriter;
import dev.diagkit.profiling.Profile;
import dev.diagkit.profiling.ProfileRecorder;
import dev.diagkit.profiling.ProfileType;
import org.jspecify.annotations.Nullable;

import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.ResponseEntity;

/**
 * {@code GET /actuator/diag/profile}: a CPU, allocation or lock profile of a few seconds in
 * which every sample carries the labels its thread had, as pprof, collapsed stacks, an HTML
 * flame graph, or the raw JFR.
 */
public final class ProfileSection implements DiagSectionHandler {

	private static final Set<String> TYPES = new LinkedHashSet<>(List.of("cpu", "alloc", "lock", "live"));

	private static final Set<String> FORMATS = new LinkedHashSet<>(List.of("pprof", "collapsed", "html", "jfr"));

	private final ProfileRecorder recorder;

	private final CaptureGate captureGate;

	private final CaptureDurations durations;

	/**
	 * Creates the section.
	 * @param recorder records the profiles
	 * @param captureGate limits concurrent captures
	 * @param durations how long profiles record
	 */
	public ProfileSection(ProfileRecorder recorder, CaptureGate captureGate, CaptureDurations durations) {
		this.recorder = recorder;
		this.captureGate = captureGate;
		this.durations = durations;
	}

	@Override
	public DiagSection section() {
		return DiagSection.PROFILE;
	}

	@Override
	public ResponseEntity<?> read(DiagRequest request) throws Exception {
		Duration duration = this.durations.of(request);
		ProfileType type = ProfileType.valueOf(request.choice("type", "cpu", TYPES).toUpperCase(Locale.ROOT));
		String format = request.choice("format", "pprof", FORMATS);
		Predicate<LabelSet> focus = focus(request.get("focus"));
		boolean threadLabel = request.flag("thread", false);
		boolean idleWaits = request.flag("idle", false);
		if (idleWaits && type != ProfileType.LOCK) {
			throw new InvalidParameterException("'idle' applies to type=lock only: it keeps the waits of idle pool "
					+ "workers for their next task, which a lock profile leaves out by default");
		}
		String name = "profile-" + type.id() + "-" + CaptureFiles.time(Instant.now());
		if ("jfr".equals(format)) {
			if (request.get("focus") != null) {
				throw new InvalidParameterException("'focus' does not apply to format=jfr: a JFR file has no labels");
			}
			Path file;
			try (CaptureGate.Slot slot = this.captureGate.enter(duration)) {
				file = this.recorder.recordFile(type, duration);
			}
			return DiagResponses.download(new TemporaryFileResource(file, name + ".jfr", this.recorder::deleted),
					name + ".jfr");
		}
		Profile profile;
		try (CaptureGate.Slot slot = this.captureGate.enter(duration)) {
			profile = this.recorder.record(type, duration, focus, threadLabel, idleWaits);
		}
		return switch (format) {
			case "collapsed" -> DiagResponses.inline(
					DiagResponses.text(new CollapsedWriter().withLabelFrames().write(profile)), name + ".collapsed.txt");
			case "html" -> DiagResponses.inline(
					DiagResponses.html(new FlameGraphHtmlWriter(profile.defaultValueIndex()).write(profile)),
					name + ".html");
			default -> DiagResponses.download(new ByteArrayResource(new PprofWriter().write(profile)), name + ".pb.gz");
		};
	}

	/** Keeps samples whose labels have every key=value given, like go tool pprof -tagfocus. */
	static Predicate<LabelSet> focus(@Nullable String focus) {
		if (focus == null) {
			return (labels) -> true;
		}
		Map<String, String> wanted = new LinkedHashMap<>();
		for (String pair : focus.split(",")) {
			int eq = pair.indexOf('=');
			if (eq <= 0 || eq == pair.length() - 1) {
				throw new InvalidParameterException("'focus' must be key=value pairs separated by commas, such as "
						+ "tenant=acme,endpoint=GET /orders/{id}; was '" + focus + "'");
			}
			wanted.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
		}
		return (labels) -> wanted.entrySet().stream().allMatch((e) -> e.getValue().equals(labels.get(e.getKey())));
	}

	@Override
	public Map<String, Object> limits() {
		return this.durations.limits();
	}

}
