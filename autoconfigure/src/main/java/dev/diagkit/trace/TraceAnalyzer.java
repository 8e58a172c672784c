package dev.diagkit.trace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.diagkit.labels.LabelSet;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.jspecify.annotations.Nullable;

/**
 * Reads a trace and looks in it for the patterns an engineer looks for by eye: GC pauses over
 * the collector's target, a lock many threads queue on, latency spikes during collections,
 * task time outside any region, a tenant whose cost is far above its share of requests.
 * Findings are sliced by tenant and endpoint through the trace's label intervals.
 */
public final class TraceAnalyzer {

	/**
	 * The largest trace JDK Mission Control's rules are run on: they load the whole file into
	 * memory, many times its size (an 11 MB trace took the analysis to a 250 MB heap peak).
	 */
	static final long JMC_MAX_BYTES = 10L << 20;

	/** How many task names the report lists at most. */
	static final int MAX_TASK_NAMES = 20;

	private static final Log logger = LogFactory.getLog(TraceAnalyzer.class);

	private final List<Detector> detectors;

	private final @Nullable AnalysisRules jmcRules;

	/**
	 * Creates an analyzer that also runs JDK Mission Control's rules when they are on the
	 * class path.
	 * @param unaccountedShare the share of a task's time outside its regions from which it is
	 * reported (0.8 reports tasks 80% or more unaccounted)
	 */
	public TraceAnalyzer(double unaccountedShare) {
		this(unaccountedShare, true);
	}

	/**
	 * Creates an analyzer.
	 * @param unaccountedShare the share of a task's time outside its regions from which it is
	 * reported (0.8 reports tasks 80% or more unaccounted)
	 * @param jmcRules whether to run JDK Mission Control's rules too, when they are on the
	 * class path ({@code org.openjdk.jmc:flightrecorder.rules.jdk})
	 */
	public TraceAnalyzer(double unaccountedShare, boolean jmcRules) {
		this.detectors = List.of(new GcPauseDetector(), new LockContentionDetector(),
				new GcLatencyDetector(), new UnaccountedTimeDetector(unaccountedShare), new NoisyTenantDetector(),
				new StarvedPoolDetector());
		this.jmcRules = jmcRules ? AnalysisRules.jmc(TraceAnalyzer.class.getClassLoader()) : null;
	}

	/**
	 * Returns whether JDK Mission Control's rules run too.
	 * @return whether they do
	 */
	public boolean runsJmcRules() {
		return this.jmcRules != null;
	}

	/**
	 * Analyzes a trace.
	 * @param file the JFR file
	 * @param source where it came from, for the report
	 * @return the report
	 * @throws IOException if the file cannot be read
	 */
	public TraceReport analyze(Path file, String source) throws IOException {
		return analyze(file, source, null);
	}

	/**
	 * Analyzes a trace, leaving out events that ended before {@code notBefore}: a thread's
	 * buffer can hold events of an earlier recording, which JFR writes into the next one.
	 * @param file the JFR file
	 * @param source where it came from, for the report
	 * @param notBefore when the recording started, or {@code null} to keep every event
	 * @return the report
	 * @throws IOException if the file cannot be read
	 */
	public TraceReport analyze(Path file, String source, @Nullable Instant notBefore) throws IOException {
		RecordedTrace trace = RecordedTrace.read(file,
				(notBefore != null) ? RecordedTrace.nanos(notBefore) : Long.MIN_VALUE);
		List<Finding> findings = new ArrayList<>();
		for (Detector detector : this.detectors) {
			findings.addAll(detector.detect(trace));
		}
		List<String> analysers = new ArrayList<>(List.of("diagkit"));
		long size = Files.size(file);
		if (this.jmcRules != null && size > JMC_MAX_BYTES) {
			analysers.add("jmc-rules (skipped: the trace is " + (size >> 20) + " MB, over " + (JMC_MAX_BYTES >> 20)
					+ " MB, which they would load whole)");
		}
		else if (this.jmcRules != null) {
			try {
				findings.addAll(this.jmcRules.evaluate(file));
				analysers.add("jmc-rules");
			}
			catch (IOException | RuntimeException ex) {
				logger.warn("JDK Mission Control's rules could not read the trace; the report has diagkit's findings only",
						ex);
				analysers.add("jmc-rules (failed: " + ex.getMessage() + ")");
			}
		}
		if (!trace.dropped.isEmpty()) {
			findings.add(new Finding("trace-truncated", "Only part of the trace was analysed", Finding.Severity.INFO, 0,
					"The trace held more than " + RecordedTrace.MAX_ITEMS + " items of some kinds; the findings rest on "
							+ "the first ones: " + trace.dropped + " more were left out.",
					Map.of("maxItems", RecordedTrace.MAX_ITEMS, "dropped", trace.dropped),
					"Take a shorter trace (seconds=…) for a complete analysis."));
		}
		findings.sort(Comparator.comparingInt(Finding::score).reversed().thenComparing(Finding::id));
		Map<String, Integer> counts = new LinkedHashMap<>();
		counts.put("tasks", trace.tasks.size());
		counts.put("regions", trace.regions.size());
		counts.put("collections", trace.collections.size());
		counts.put("waits", trace.waits.size());
		counts.put("cpuSamples", trace.samples.size());
		counts.put("methodCalls", trace.calls.size());
		counts.put("queueWaits", trace.queueWaits.size());
		Instant from = (trace.start != Long.MAX_VALUE) ? instant(trace.start) : Instant.EPOCH;
		Instant to = (trace.end != Long.MIN_VALUE) ? instant(trace.end) : Instant.EPOCH;
		return new TraceReport(from, to, source, analysers, findings, tasks(trace), methods(trace), counts);
	}

	private static Map<String, Map<String, Object>> tasks(RecordedTrace trace) {
		Map<String, DurationStats> byName = new HashMap<>();
		for (RecordedTrace.Task task : trace.tasks) {
			byName.computeIfAbsent(task.name(), (name) -> new DurationStats()).add(task.duration());
		}
		List<Map.Entry<String, DurationStats>> sorted = new ArrayList<>(byName.entrySet());
		sorted.sort(Comparator.comparingInt((Map.Entry<String, DurationStats> e) -> e.getValue().count()).reversed()
			.thenComparing(Map.Entry::getKey));
		Map<String, Map<String, Object>> tasks = new LinkedHashMap<>();
		for (Map.Entry<String, DurationStats> entry : sorted.subList(0, Math.min(MAX_TASK_NAMES, sorted.size()))) {
			tasks.put(entry.getKey(), entry.getValue().toMap());
		}
		return tasks;
	}

	/** Per timed method: its calls' figures, and the same per tenant and per endpoint. */
	private static Map<String, Map<String, Object>> methods(RecordedTrace trace) {
		Map<String, DurationStats> all = new LinkedHashMap<>();
		Map<String, Map<String, Map<String, DurationStats>>> sliced = new HashMap<>();
		for (RecordedTrace.Call call : trace.calls) {
			all.computeIfAbsent(call.method(), (m) -> new DurationStats()).add(call.duration());
			LabelSet labels = trace.labels.at(call.threadId(), call.start());
			for (String key : LabelShares.KEYS) {
				String value = labels.get(key);
				sliced.computeIfAbsent(call.method(), (m) -> new LinkedHashMap<>())
					.computeIfAbsent(key, (k) -> new HashMap<>())
					.computeIfAbsent((value != null) ? value : "(none)", (v) -> new DurationStats())
					.add(call.duration());
			}
		}
		Map<String, Map<String, Object>> methods = new LinkedHashMap<>();
		all.forEach((method, stats) -> {
			Map<String, Object> entry = new LinkedHashMap<>(stats.toMap());
			sliced.getOrDefault(method, Map.of()).forEach((key, values) -> {
				List<Map.Entry<String, DurationStats>> sorted = new ArrayList<>(values.entrySet());
				sorted.sort(Comparator.comparingInt((Map.Entry<String, DurationStats> e) -> e.getValue().count())
					.reversed()
					.thenComparing(Map.Entry::getKey));
				Map<String, Object> byValue = new LinkedHashMap<>();
				for (Map.Entry<String, DurationStats> value : sorted.subList(0, Math.min(LabelShares.TOP, sorted.size()))) {
					byValue.put(value.getKey(), value.getValue().toMap());
				}
				entry.put("by" + Character.toUpperCase(key.charAt(0)) + key.substring(1), byValue);
			});
			methods.put(method, entry);
		});
		return methods;
	}

	private static Instant instant(long epochNanos) {
		return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L));
	}

}
