package dev.diagkit.endpoint;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * The sections of {@code /actuator/diag}: what each returns and costs, whether it stops the
 * world or changes the application, and which role it needs. The index, the endpoint's
 * dispatch and the security rules all read this one table.
 */
public enum DiagSection {

	/** Every thread's stack, grouped by identical state and stack. */
	STACKS("stacks", false, "GET", "every thread's stack, grouped by identical (state, stack), with counts, "
			+ "thread names and the labels the threads carry; virtual threads on JDK 21+",
			"O(threads); a safepoint pause while the stacks are taken, so at most "
					+ "diagkit.endpoint.stacks.max-per-minute (6) a minute across all callers, audited", true, false, false,
			"?format=json|text, ?group=true|false", null),

	/** Live threads' labels, counts per key and value, stale scopes, policy overflow. */
	LABELS("labels", false, "GET", "live threads with their labels and since when, thread counts per label, "
			+ "stale replace scopes and scopes left open past their owner (label leaks), label policy overflow counts",
			"O(labelled threads)", false, false, false, "",
			"Profiling labels are off (diagkit.labels.enabled=false)"),

	/** Runtime figures. */
	METRICS("metrics", false, "GET", "runtime figures as name value unit lines: memory, GC, threads, CPU, "
			+ "process RSS, cgroup memory and pressure (PSI) where available", "microseconds", false, false, false,
			"?format=text|json", null),

	/** A forced garbage collection. */
	GC("gc", true, "POST", "forces a full garbage collection; heap before and after, bytes freed, duration",
			"one full collection", true, true, false, "", null),

	/** A JFR recording of a few seconds. */
	TRACE("trace", true, "GET", "a JFR recording of N seconds (a .jfr file): CPU samples, allocation, locks, GC, "
			+ "I/O, diagkit's tasks, regions, logs and label intervals, and on Java 25 every call of the methods named", "about 10% of a fully loaded application's throughput while recording (6-9% with settings=default, "
					+ "11-17% with profile, measured on the sample under wrk: docs/benchmarks.md); about 0.1 MB a second",
			false, false, true,
			"?seconds=N, ?settings=default|profile, ?methods=com.acme.Checkout::price[,...] (Java 25+)", Off.PROFILING),

	/** A trace of a few seconds, analysed: findings with evidence and recommendations. */
	ANALYSIS("analysis", true, "GET", "records a trace of N seconds and reports what it shows: GC pauses over the "
			+ "pause target, locks threads queue on, latency spikes during collections, task time outside any region, "
			+ "a tenant costing far more than its share of requests, a pool whose workers block while its queue waits; "
			+ "each finding with a severity, a score, evidence "
			+ "sliced by tenant and endpoint, and a recommendation; per task name and timed method: count, mean, p99",
			"a trace's cost while recording (see trace); reading it took 0.3-1 s for traces of 12-150 MB, within a "
					+ "96 MB heap (at most 100,000 items of each kind are kept; docs/benchmarks.md)", false, false, true,
			"?seconds=N, ?format=json|text|html, ?methods=com.acme.Checkout::price[,...] (Java 25+)", Off.PROFILING),

	/** A label-aware profile of a few seconds. */
	PROFILE("profile", true, "GET", "a CPU, allocation, lock or live-heap profile of N seconds in which every sample carries the "
			+ "labels its thread had: pprof (go tool pprof, Pyroscope), collapsed stacks, an HTML flame graph, or the "
			+ "raw JFR", "about 1% CPU while recording; building the profile takes milliseconds", false, false, true,
			"?seconds=N, ?type=cpu|alloc|lock|live, ?format=pprof|collapsed|html|jfr, ?focus=key=value[,key=value], "
					+ "?thread=true|false, ?idle=true|false (lock: keep idle pool workers' waits for work)", Off.PROFILING),

	/** The local store of continuous profiles: what it holds, and ranges of it merged. */
	PROFILES("profiles", false, "GET", "continuous profiles kept in the local store: /profiles lists them (type, from, "
			+ "until, samples, bytes, resolution) with the profiler's status; /profiles/{type} merges a time range into "
			+ "one profile as pprof, collapsed stacks, an HTML flame graph (differential with compare) or JSON top "
			+ "functions per label value", "reads stored files, no capture: milliseconds for an hour, about a second "
					+ "for a week (docs/benchmarks.md); ranges up to 7 days",
			false, false, false, "/profiles/{type}?from=<instant|-6h>&to=<instant|now>, ?format=pprof|collapsed|html|json, "
					+ "?focus=key=value[,key=value], ?compare=<duration such as 24h>",
			"Continuous profiling is off: set diagkit.profiling.continuous.enabled=true (profiles are kept in the "
					+ "local store unless diagkit.profiling.export.directory.enabled=false)", true),

	/** The sampling knobs, readable and changeable for a while. */
	SETTINGS("settings", false, "GET, POST", "the sampling knobs (CPU sampling interval, allocation samples per "
			+ "second, lock-contention threshold); POST changes them for a time to live, after which they revert",
			"none", false, true, false, "POST: cpuInterval, allocationSamplesPerSecond, lockThreshold, ttl, reset",
			Off.PROFILING),

	/** Capacity budgets with verdicts. */
	CAPACITY("capacity", false, "GET", "five capacity budgets (cpu, memory, threads, latency, gc), each with a verdict "
			+ "(ok, warn, critical, unknown), the threshold used, a one-line recommendation and rolling statistics "
			+ "(median, p99, peak) over the configured windows", "microseconds: the sampler has done the work", false,
			false, false, "?format=json|text", "Capacity sampling is off (diagkit.capacity.enabled=false)"),

	/** The adaptive heap target: where it stands, and pausing it or moving its base. */
	MEMORY("memory", false, "GET, POST", "the adaptive heap target: mode (adaptive, observe-only, paused, stopped), "
			+ "collector and lever, base, floor and target, committed and live heap, the memory pressure and GC share "
			+ "of CPU it decided on, its latest changes with reasons; POST pauses or resumes it, or sets its base",
			"microseconds; a base below the target on G1 runs one collection", false, true, false,
			"POST: action=pause|resume, base=<size such as 300MB>|max",
			"The adaptive heap target is off (diagkit.memory.adaptive.enabled=false)"),

	/** Native memory by category. */
	NATIVE("native", false, "GET", "native memory by category from Native Memory Tracking, when the JVM runs "
			+ "with -XX:NativeMemoryTracking=summary", "milliseconds", false, false, false, "", null);

	private final String path;

	private final boolean adminOnly;

	private final String methods;

	private final String returns;

	private final String cost;

	private final boolean stopsTheWorld;

	private final boolean mutates;

	private final boolean capture;

	private final String parameters;

	private final @Nullable String off;

	private final boolean named;

	DiagSection(String path, boolean adminOnly, String methods, String returns, String cost, boolean stopsTheWorld,
			boolean mutates, boolean capture, String parameters, @Nullable String off) {
		this(path, adminOnly, methods, returns, cost, stopsTheWorld, mutates, capture, parameters, off, false);
	}

	DiagSection(String path, boolean adminOnly, String methods, String returns, String cost, boolean stopsTheWorld,
			boolean mutates, boolean capture, String parameters, @Nullable String off, boolean named) {
		this.named = named;
		this.path = path;
		this.adminOnly = adminOnly;
		this.methods = methods;
		this.returns = returns;
		this.cost = cost;
		this.stopsTheWorld = stopsTheWorld;
		this.mutates = mutates;
		this.capture = capture;
		this.parameters = parameters;
		this.off = off;
	}

	/**
	 * Returns the section for a path segment.
	 * @param path the segment after {@code /actuator/diag/}
	 * @return the section, if there is one by that name
	 */
	public static Optional<DiagSection> of(String path) {
		String name = path.toLowerCase(Locale.ROOT);
		int slash = name.indexOf('/');
		String head = (slash < 0) ? name : name.substring(0, slash);
		// a named section also answers <section>/<one segment>, such as profiles/cpu
		boolean oneName = slash > 0 && slash < name.length() - 1 && name.indexOf('/', slash + 1) < 0;
		for (DiagSection section : values()) {
			if (section.path.equals(head) && (slash < 0 || (section.named && oneName))) {
				return Optional.of(section);
			}
		}
		return Optional.empty();
	}

	/**
	 * Returns whether the section also answers {@code /actuator/diag/{section}/{name}}.
	 * @return whether it takes a name
	 */
	public boolean named() {
		return this.named;
	}

	/**
	 * Returns the names of every section.
	 * @return the names in index order
	 */
	public static List<String> names() {
		return List.of(values()).stream().map(DiagSection::path).toList();
	}

	/**
	 * Returns whether calling the section with an HTTP method needs the admin role: every
	 * mutation and capture does.
	 * @param httpMethod the HTTP method
	 * @return whether the admin role is needed
	 */
	public boolean needsAdmin(String httpMethod) {
		return this.adminOnly || !isRead(httpMethod);
	}

	/**
	 * Returns whether the section answers an HTTP method.
	 * @param httpMethod the HTTP method, such as {@code POST}
	 * @return whether it is one of {@link #methods()}
	 */
	public boolean answers(String httpMethod) {
		return List.of(this.methods.split(", ")).contains(httpMethod);
	}

	/**
	 * Returns whether an HTTP method only reads: {@code GET}, {@code HEAD} and
	 * {@code OPTIONS}.
	 * @param httpMethod the HTTP method
	 * @return whether it reads
	 */
	public static boolean isRead(String httpMethod) {
		return "GET".equalsIgnoreCase(httpMethod) || "HEAD".equalsIgnoreCase(httpMethod)
				|| "OPTIONS".equalsIgnoreCase(httpMethod);
	}

	/**
	 * Returns what a section whose capability is switched off answers, and how to switch it
	 * on.
	 * @return the message, or {@code null} for the sections of the endpoint itself, which
	 * are there whenever it is
	 */
	public @Nullable String off() {
		return this.off;
	}

	/**
	 * Returns the path segment.
	 * @return the segment, such as {@code stacks}
	 */
	public String path() {
		return this.path;
	}

	/**
	 * Returns whether the section records for a while and counts against the capture limit.
	 * @return whether it is a capture
	 */
	public boolean capture() {
		return this.capture;
	}

	/**
	 * Returns whether the section changes the application.
	 * @return whether it mutates
	 */
	public boolean mutates() {
		return this.mutates;
	}

	/**
	 * Returns the HTTP methods the section answers.
	 * @return the methods, comma-separated
	 */
	public String methods() {
		return this.methods;
	}

	/**
	 * Returns what the section returns.
	 * @return the description
	 */
	public String returns() {
		return this.returns;
	}

	/**
	 * Returns what the section costs.
	 * @return the cost
	 */
	public String cost() {
		return this.cost;
	}

	/**
	 * Returns whether the section pauses every application thread.
	 * @return whether it stops the world
	 */
	public boolean stopsTheWorld() {
		return this.stopsTheWorld;
	}

	/**
	 * Returns the parameters the section takes.
	 * @return the parameters, or an empty string
	 */
	public String parameters() {
		return this.parameters;
	}

	/** Messages shared by sections of one capability. */
	private static final class Off {

		static final String PROFILING = "Profiling is off (diagkit.profiling.enabled=false)";

	}

}
