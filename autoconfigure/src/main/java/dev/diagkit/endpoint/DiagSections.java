package dev.diagkit.endpoint;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import dev.diagkit.capacity.CapacityReport;
import dev.diagkit.capacity.CapacitySampler;
import dev.diagkit.labels.LabelPolicy;
import dev.diagkit.labels.LabelRegistry;
import dev.diagkit.labels.LabelSet;
import dev.diagkit.labels.ThreadLabels;
import dev.diagkit.profiling.CollapsedWriter;
import dev.diagkit.profiling.FlameGraphHtmlWriter;
import dev.diagkit.profiling.PprofWriter;
import dev.diagkit.profiling.Profile;
import dev.diagkit.profiling.ProfileRecorder;
import dev.diagkit.profiling.ProfileType;
import dev.diagkit.profiling.SamplingSettings;
import dev.diagkit.runtime.NativeMemorySummary;
import dev.diagkit.trace.TraceRecorder;
import org.jspecify.annotations.Nullable;

import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.Resource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * Answers each {@link DiagSection}. One short method per section, in the manner of Go's
 * {@code net/http/pprof} handlers.
 */
public class DiagSections {

	private static final Set<String> FORMATS = Set.of("json", "text");

	private static final Set<String> PROFILE_TYPES = new java.util.LinkedHashSet<>(List.of("cpu", "alloc", "lock"));

	private static final Set<String> PROFILE_FORMATS = new java.util.LinkedHashSet<>(
			List.of("pprof", "collapsed", "html", "jfr"));

	private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
		.withZone(ZoneOffset.UTC);

	private final @Nullable LabelRegistry labelRegistry;

	private final @Nullable LabelPolicy labelPolicy;

	private final SamplingSettings sampling;

	private final TraceRecorder traceRecorder;

	private final ProfileRecorder profileRecorder;

	private final CaptureGate captureGate;

	private final DiagLimits limits;

	private final @Nullable CapacitySampler capacity;

	/**
	 * Creates the sections.
	 * @param labelRegistry the labels of live threads, or {@code null} when labels are off
	 * @param labelPolicy the label policy, or {@code null} when labels are off
	 * @param sampling the sampling knobs
	 * @param traceRecorder records traces
	 * @param profileRecorder records profiles
	 * @param captureGate limits concurrent captures
	 * @param limits the limits on parameters
	 * @param capacity the capacity sampler, or {@code null} when capacity is off
	 */
	public DiagSections(@Nullable LabelRegistry labelRegistry, @Nullable LabelPolicy labelPolicy,
			SamplingSettings sampling, TraceRecorder traceRecorder, ProfileRecorder profileRecorder,
			CaptureGate captureGate, DiagLimits limits, @Nullable CapacitySampler capacity) {
		this.labelRegistry = labelRegistry;
		this.labelPolicy = labelPolicy;
		this.sampling = sampling;
		this.traceRecorder = traceRecorder;
		this.profileRecorder = profileRecorder;
		this.captureGate = captureGate;
		this.limits = limits;
		this.capacity = capacity;
	}

	ResponseEntity<?> read(DiagSection section, DiagRequest request) throws Exception {
		return switch (section) {
			case STACKS -> stacks(request);
			case LABELS -> labels();
			case METRICS -> metrics(request);
			case TRACE -> trace(request);
			case PROFILE -> profile(request);
			case SETTINGS -> settings();
			case NATIVE -> nativeMemory();
			case CAPACITY -> capacity(request);
			case GC -> throw new MethodNotAllowedException("The gc section answers POST only: it forces a collection",
					section.methods());
		};
	}

	ResponseEntity<?> write(DiagSection section, DiagRequest request) {
		return switch (section) {
			case GC -> gc();
			case SETTINGS -> changeSettings(request);
			default -> throw new MethodNotAllowedException(
					"The " + section.path() + " section answers " + section.methods() + " only", section.methods());
		};
	}

	private ResponseEntity<?> stacks(DiagRequest request) {
		String format = request.choice("format", "json", FORMATS);
		boolean group = request.flag("group", true);
		StackDump.Result dump = new StackDump(ManagementFactory.getThreadMXBean(), labelsByThreadId(),
				this.limits.stacksMaxBytes())
			.capture(group);
		return "text".equals(format) ? DiagEndpoint.text(dump.toText()) : DiagEndpoint.json(dump.toJson());
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

	private ResponseEntity<?> labels() {
		Map<String, Object> body = new LinkedHashMap<>();
		if (this.labelRegistry == null) {
			body.put("enabled", false);
			body.put("message", "Profiling labels are off (diagkit.labels.enabled=false)");
			return DiagEndpoint.json(body);
		}
		List<ThreadLabels> threads = this.labelRegistry.threads();
		body.put("enabled", true);
		body.put("threads", threads.stream().map(DiagSections::thread).toList());
		body.put("counts", LabelRegistry.activeCounts(threads));
		body.put("staleAfter", Durations.format(this.labelRegistry.staleAfter()));
		body.put("stale", threads.stream().filter(ThreadLabels::stale).map(DiagSections::thread).toList());
		if (this.labelPolicy != null) {
			Map<String, Object> policy = new LinkedHashMap<>();
			policy.put("maxValuesPerKey", this.labelPolicy.maxValuesPerKey());
			policy.put("overflowValue", this.labelPolicy.overflowValue());
			policy.put("overflowCounts", this.labelPolicy.overflowCounts());
			policy.put("distinctValues", this.labelPolicy.distinctValueCounts());
			body.put("policy", policy);
		}
		return DiagEndpoint.json(body);
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

	private ResponseEntity<?> metrics(DiagRequest request) {
		String format = request.choice("format", "text", FORMATS);
		RuntimeFigures figures = RuntimeFigures.forThisProcess();
		return "json".equals(format) ? DiagEndpoint.json(figures.toJson()) : DiagEndpoint.text(figures.toText());
	}

	private ResponseEntity<?> capacity(DiagRequest request) {
		String format = request.choice("format", "json", FORMATS);
		if (this.capacity == null) {
			String message = "Capacity sampling is off (diagkit.capacity.enabled=false, or Micrometer is not on the "
					+ "class path)";
			if ("text".equals(format)) {
				return DiagEndpoint.text(message + "\n");
			}
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("enabled", false);
			body.put("message", message);
			return DiagEndpoint.json(body);
		}
		CapacityReport report = this.capacity.report();
		return "text".equals(format) ? DiagEndpoint.text(report.toText()) : DiagEndpoint.json(report.toJson());
	}

	private ResponseEntity<?> nativeMemory() {
		return DiagEndpoint.json(NativeMemorySummary.take().toJson());
	}

	private ResponseEntity<?> gc() {
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		long collectionsBefore = collections();
		long before = memory.getHeapMemoryUsage().getUsed();
		long start = System.nanoTime();
		memory.gc();
		long nanos = System.nanoTime() - start;
		long after = memory.getHeapMemoryUsage().getUsed();
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("heapUsedBeforeBytes", before);
		body.put("heapUsedAfterBytes", after);
		body.put("freedBytes", before - after);
		body.put("durationMillis", nanos / 1_000_000.0);
		body.put("collections", collections() - collectionsBefore);
		return DiagEndpoint.json(body);
	}

	private static long collections() {
		long count = 0;
		for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
			count += Math.max(0, gc.getCollectionCount());
		}
		return count;
	}

	private ResponseEntity<?> trace(DiagRequest request) throws Exception {
		Duration max = this.limits.traceMaxDuration();
		int seconds = request.integer("seconds", (int) this.limits.traceDefaultDuration().toSeconds(), 1,
				(int) max.toSeconds());
		String settings = request.choice("settings", "profile", TraceRecorder.SETTINGS);
		Path file;
		try (CaptureGate.Slot slot = this.captureGate.enter(Duration.ofSeconds(seconds))) {
			file = this.traceRecorder.record(Duration.ofSeconds(seconds), settings);
		}
		String filename = "diag-" + FILE_TIME.format(Instant.now()) + ".jfr";
		Resource resource = new TemporaryFileResource(file, filename, this.traceRecorder::deleted);
		return ResponseEntity.ok()
			.contentType(MediaType.APPLICATION_OCTET_STREAM)
			.header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(filename).build().toString())
			.body(resource);
	}

	private ResponseEntity<?> profile(DiagRequest request) throws Exception {
		int seconds = request.integer("seconds", (int) this.limits.traceDefaultDuration().toSeconds(), 1,
				(int) this.limits.traceMaxDuration().toSeconds());
		ProfileType type = ProfileType.valueOf(request.choice("type", "cpu", PROFILE_TYPES).toUpperCase(Locale.ROOT));
		String format = request.choice("format", "pprof", PROFILE_FORMATS);
		Predicate<LabelSet> focus = focus(request.get("focus"));
		boolean threadLabel = request.flag("thread", false);
		String name = "profile-" + type.id() + "-" + FILE_TIME.format(Instant.now());
		if ("jfr".equals(format)) {
			if (request.get("focus") != null) {
				throw new InvalidParameterException("'focus' does not apply to format=jfr: a JFR file has no labels");
			}
			Path file;
			try (CaptureGate.Slot slot = this.captureGate.enter(Duration.ofSeconds(seconds))) {
				file = this.profileRecorder.recordFile(type, Duration.ofSeconds(seconds));
			}
			return download(new TemporaryFileResource(file, name + ".jfr", this.profileRecorder::deleted), name + ".jfr");
		}
		Profile profile;
		try (CaptureGate.Slot slot = this.captureGate.enter(Duration.ofSeconds(seconds))) {
			profile = this.profileRecorder.record(type, Duration.ofSeconds(seconds), focus, threadLabel);
		}
		return switch (format) {
			case "collapsed" -> DiagEndpoint.text(new CollapsedWriter().withLabelFrames().write(profile));
			case "html" -> ResponseEntity.ok()
				.contentType(new MediaType("text", "html", java.nio.charset.StandardCharsets.UTF_8))
				.body(new FlameGraphHtmlWriter().write(profile));
			default -> download(new ByteArrayResource(new PprofWriter().write(profile)), name + ".pb.gz");
		};
	}

	private static ResponseEntity<Resource> download(Resource resource, String filename) {
		return ResponseEntity.ok()
			.contentType(MediaType.APPLICATION_OCTET_STREAM)
			.header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(filename).build().toString())
			.body(resource);
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

	private ResponseEntity<?> settings() {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("current", values(this.sampling.current()));
		body.put("defaults", values(this.sampling.defaults()));
		body.put("revertsAt", this.sampling.revertsAt());
		body.put("setBy", this.sampling.overriddenBy());
		return DiagEndpoint.json(body);
	}

	private ResponseEntity<?> changeSettings(DiagRequest request) {
		if (request.flag("reset", false)) {
			this.sampling.reset();
			return settings();
		}
		SamplingSettings.Values current = this.sampling.current();
		if (request.get("cpuInterval") == null && request.get("allocationSamplesPerSecond") == null
				&& request.get("lockThreshold") == null) {
			throw new InvalidParameterException("Give at least one of cpuInterval (1ms to 1s), "
					+ "allocationSamplesPerSecond (0 to 10000), lockThreshold (0ms to 10s), or reset=true");
		}
		SamplingSettings.Values values = new SamplingSettings.Values(
				request.duration("cpuInterval", current.cpuInterval(), Duration.ofMillis(1), Duration.ofSeconds(1)),
				request.integer("allocationSamplesPerSecond", current.allocationSamplesPerSecond(), 0, 10_000),
				request.duration("lockThreshold", current.lockThreshold(), Duration.ZERO, Duration.ofSeconds(10)));
		Duration ttl = request.duration("ttl", this.limits.settingsDefaultTtl(), Duration.ofSeconds(1),
				this.limits.settingsMaxTtl());
		this.sampling.override(values, ttl, (request.principal() != null) ? request.principal() : "anonymous");
		return settings();
	}

	private static Map<String, Object> values(SamplingSettings.Values values) {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("cpuInterval", Durations.format(values.cpuInterval()));
		map.put("allocationSamplesPerSecond", values.allocationSamplesPerSecond());
		map.put("lockThreshold", Durations.format(values.lockThreshold()));
		return map;
	}

}
