package dev.diagkit.endpoint;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.function.Predicate;
import java.util.function.Supplier;

import dev.diagkit.export.ContinuousProfiler;
import dev.diagkit.export.LocalProfileStore;
import dev.diagkit.export.RangeTooLargeException;
import dev.diagkit.export.StoredProfile;
import dev.diagkit.export.StoredRange;
import dev.diagkit.labels.LabelSet;
import dev.diagkit.profiling.CollapsedWriter;
import dev.diagkit.profiling.FlameGraphHtmlWriter;
import dev.diagkit.profiling.PprofWriter;
import dev.diagkit.profiling.Profile;
import dev.diagkit.profiling.ProfileType;
import dev.diagkit.profiling.TopFunctions;
import org.jspecify.annotations.Nullable;

import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * {@code GET /actuator/diag/profiles}: what the local profile store keeps, and
 * {@code GET /actuator/diag/profiles/{type}}: a range of it merged into one profile, as
 * pprof, collapsed stacks, an HTML flame graph (differential with {@code compare}) or JSON
 * top functions per label value. Reading the store records nothing: the read role and the
 * normal rate limit apply, a range is at most {@link LocalProfileStore#MAX_RANGE} and a merge
 * at most {@link LocalProfileStore#MERGE_DEADLINE}, and one merge runs at a time.
 */
public final class ProfilesSection implements DiagSectionHandler {

	private static final Set<String> TYPES = new LinkedHashSet<>(List.of("cpu", "alloc", "lock", "live"));

	private static final Set<String> FORMATS = new LinkedHashSet<>(List.of("pprof", "collapsed", "html", "json"));

	private static final Duration DEFAULT_RANGE = Duration.ofHours(1);

	private static final Duration LONGEST_COMPARE = Duration.ofDays(30);

	private static final int TOP_FUNCTIONS = 20;

	private final @Nullable LocalProfileStore store;

	private final Supplier<ContinuousProfiler.@Nullable Status> status;

	private final Clock clock;

	private final Semaphore merging = new Semaphore(1);

	/**
	 * Creates the section.
	 * @param store the local store, or {@code null} when profiles are not kept locally
	 * @param status where continuous profiling stands, or {@code null} when it is off
	 * @param clock tells the time relative ranges are counted from
	 */
	public ProfilesSection(@Nullable LocalProfileStore store, Supplier<ContinuousProfiler.@Nullable Status> status,
			Clock clock) {
		this.store = store;
		this.status = status;
		this.clock = clock;
	}

	@Override
	public DiagSection section() {
		return DiagSection.PROFILES;
	}

	@Override
	public ResponseEntity<?> read(DiagRequest request) throws Exception {
		String name = request.name();
		return (name != null) ? query(name, request) : listing(request);
	}

	private ResponseEntity<?> listing(DiagRequest request) {
		String typeFilter = (request.get("type") != null) ? request.choice("type", "cpu", TYPES) : null;
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("profiler", profiler());
		LocalProfileStore local = this.store;
		if (local == null) {
			body.put("store", Map.of("enabled", false, "message", "Profiles are not kept locally: set "
					+ "diagkit.profiling.export.directory.enabled=true to keep them beside Pyroscope"));
			return DiagResponses.json(body);
		}
		List<Map<String, Object>> profiles = new ArrayList<>();
		Map<String, Map<String, Long>> summary = new LinkedHashMap<>();
		for (StoredProfile stored : local.list()) {
			if (typeFilter != null && !stored.type().id().equals(typeFilter)) {
				continue;
			}
			Map<String, Object> entry = new LinkedHashMap<>();
			entry.put("type", stored.type().id());
			entry.put("from", stored.from().toString());
			entry.put("until", stored.until().toString());
			entry.put("resolution", stored.resolution().id());
			entry.put("samples", stored.samples());
			entry.put("bytes", stored.bytes());
			profiles.add(entry);
			Map<String, Long> counts = summary.computeIfAbsent(stored.type().id() + "/" + stored.resolution().id(),
					(key) -> new LinkedHashMap<>());
			counts.merge("files", 1L, Long::sum);
			counts.merge("bytes", stored.bytes(), Long::sum);
		}
		Map<String, Object> storeBody = new LinkedHashMap<>();
		storeBody.put("enabled", true);
		storeBody.put("bytes", local.sizeBytes());
		storeBody.put("summary", summary);
		storeBody.put("query", "/actuator/diag/profiles/{type}?from=-1h&to=now&format=pprof|collapsed|html|json"
				+ "&focus=key=value&compare=24h");
		body.put("store", storeBody);
		body.put("profiles", profiles);
		return DiagResponses.json(body);
	}

	private Map<String, Object> profiler() {
		ContinuousProfiler.Status current = this.status.get();
		Map<String, Object> profiler = new LinkedHashMap<>();
		if (current == null) {
			profiler.put("enabled", false);
			profiler.put("message", DiagSection.PROFILES.off());
			return profiler;
		}
		profiler.put("enabled", true);
		profiler.put("running", current.running());
		profiler.put("period", current.period().toString());
		profiler.put("types", current.types().stream().map(ProfileType::id).toList());
		profiler.put("sinks", current.sinks());
		profiler.put("startedAt", (current.startedAt() != null) ? current.startedAt().toString() : null);
		profiler.put("coveredUntil", (current.coveredUntil() != null) ? current.coveredUntil().toString() : null);
		profiler.put("windows", current.windows());
		profiler.put("coverage", current.coverage());
		Map<String, Double> truncated = new LinkedHashMap<>();
		current.truncatedShare().forEach((type, share) -> truncated.put(type.id(), share));
		profiler.put("truncatedShare", truncated);
		if (current.types().contains(ProfileType.LOCK)) {
			profiler.put("idleWaitsLeftOut", current.idleWaitsLeftOut());
		}
		if (current.failure() != null) {
			profiler.put("failure", current.failure());
		}
		return profiler;
	}

	private ResponseEntity<?> query(String name, DiagRequest request) {
		String typeName = name.toLowerCase(Locale.ROOT);
		if (!TYPES.contains(typeName)) {
			throw new InvalidParameterException(
					"No profile type '" + name + "'; the types are " + String.join(", ", TYPES));
		}
		ProfileType type = ProfileType.valueOf(typeName.toUpperCase(Locale.ROOT));
		String format = request.choice("format", "pprof", FORMATS);
		TimeRange range = TimeRange.of(request, DEFAULT_RANGE, LocalProfileStore.MAX_RANGE, this.clock.instant());
		Predicate<LabelSet> focus = ProfileSection.focus(request.get("focus"));
		Duration compare = (request.get("compare") != null)
				? request.duration("compare", Duration.ofDays(1), Duration.ofMinutes(1), LONGEST_COMPARE) : null;
		if (compare != null && "collapsed".equals(format)) {
			throw new InvalidParameterException(
					"'compare' works with format=html, pprof or json; collapsed stacks have no second profile");
		}
		LocalProfileStore local = this.store;
		if (local == null) {
			throw new InvalidParameterException("Profiles are not kept locally, so there is nothing to query: set "
					+ "diagkit.profiling.export.directory.enabled=true (and query Pyroscope for what it received)");
		}
		if (!this.merging.tryAcquire()) {
			throw new TooManyRequestsException("Another profiles query is merging; one runs at a time", 1);
		}
		try {
			StoredRange current = merge(local, type, range, focus);
			StoredRange base = (compare != null) ? merge(local, type, range.minus(compare), focus) : null;
			String file = "profiles-" + type.id() + "-" + CaptureFiles.time(current.coveredFrom());
			return switch (format) {
				case "html" -> {
					FlameGraphHtmlWriter writer = new FlameGraphHtmlWriter(current.profile().defaultValueIndex());
					yield DiagResponses.inline(DiagResponses.html((base != null)
							? writer.write(current.profile(), base.profile()) : writer.write(current.profile())),
							file + ".html");
				}
				case "collapsed" -> DiagResponses.inline(
						DiagResponses.text(new CollapsedWriter().withLabelFrames().write(current.profile())),
						file + ".collapsed.txt");
				case "json" -> DiagResponses.json(json(type, range, current, base));
				default -> pprof(current, base, range, compare, file, request.uri());
			};
		}
		finally {
			this.merging.release();
		}
	}

	private static StoredRange merge(LocalProfileStore store, ProfileType type, TimeRange range,
			Predicate<LabelSet> focus) {
		try {
			return store.merge(type, range.from(), range.to(), focus);
		}
		catch (RangeTooLargeException | IllegalArgumentException ex) {
			throw new InvalidParameterException(ex.getMessage());
		}
	}

	/**
	 * The current range as pprof; with {@code compare}, a {@code Link} header gives the base
	 * range with absolute instants, for {@code go tool pprof -diff_base}.
	 */
	private static ResponseEntity<?> pprof(StoredRange current, @Nullable StoredRange base, TimeRange range,
			@Nullable Duration compare, String file, @Nullable URI uri) {
		ResponseEntity<?> download = DiagResponses
			.download(new ByteArrayResource(new PprofWriter().write(current.profile())), file + ".pb.gz");
		if (base == null || compare == null || uri == null) {
			return download;
		}
		TimeRange earlier = range.minus(compare);
		String baseUrl = UriComponentsBuilder.fromUri(uri)
			.replaceQueryParam("compare")
			.replaceQueryParam("from", earlier.from().toString())
			.replaceQueryParam("to", earlier.to().toString())
			.build()
			.toUriString();
		return ResponseEntity.status(download.getStatusCode())
			.headers(download.getHeaders())
			.header(HttpHeaders.LINK, "<" + baseUrl + ">; rel=\"base\"")
			.body(download.getBody());
	}

	private static Map<String, Object> json(ProfileType type, TimeRange range, StoredRange current,
			@Nullable StoredRange base) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("type", type.id());
		body.put("from", range.from().toString());
		body.put("to", range.to().toString());
		body.putAll(rangeJson(current));
		if (base != null) {
			body.put("base", rangeJson(base));
		}
		return body;
	}

	private static Map<String, Object> rangeJson(StoredRange stored) {
		Profile profile = stored.profile();
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("coveredFrom", stored.coveredFrom().toString());
		body.put("coveredUntil", stored.coveredUntil().toString());
		body.put("files", stored.files());
		body.put("notes", profile.notes());
		body.put("top", TopFunctions.of(profile, profile.defaultValueIndex(), TOP_FUNCTIONS));
		return body;
	}

}
