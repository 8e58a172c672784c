package dev.diagkit.trace;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.diagkit.testing.HeadlessChromium;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The analysis page, opened in Debian's headless Chromium: findings with their severity,
 * evidence and recommendation, tasks and timed methods, and label values from requests shown
 * as text, never as markup.
 */
class AnalysisHtmlBrowserTests {

	private static final String EVIL = "<img src=x onerror=alert(1)>";

	@TempDir
	Path dir;

	@BeforeAll
	static void chromiumIsInstalled() {
		HeadlessChromium.assumeInstalled();
	}

	@Test
	void showsFindingsTasksAndMethodsAndNoInjectedMarkup() throws Exception {
		Map<String, Object> evidence = new LinkedHashMap<>();
		evidence.put("lockClass", "com.acme.Ledger");
		evidence.put("labels", Map.of("tenant", List.of(Map.of("value", EVIL, "share", 0.97))));
		Finding lock = new Finding("lock-contention", "Threads queue on one lock", Finding.Severity.CRITICAL, 100,
				"4 threads waited 9013 ms; 97% of the wait is tenant=" + EVIL + ".", evidence, "Shorten what runs.");
		Finding info = new Finding("unaccounted-time", "Task time outside any region", Finding.Severity.INFO, 12,
				"3 of 90 tasks.", Map.of("threshold", 0.8), "Mark the steps.");
		Map<String, Map<String, Object>> tasks = Map.of("GET /orders/{id}",
				Map.of("count", 90, "meanMs", 2.5, "p99Ms", 9.0, "maxMs", 12.0));
		Map<String, Object> method = new LinkedHashMap<>(Map.of("count", 40, "meanMs", 1.0, "p99Ms", 3.0, "maxMs", 4.0));
		method.put("byTenant", Map.of(EVIL, Map.of("count", 40)));
		TraceReport report = new TraceReport(Instant.parse("2026-12-03T16:00:00Z"), Instant.parse("2026-12-03T16:00:05Z"),
				"capture", List.of("diagkit"), List.of(lock, info), tasks,
				Map.of("com.acme.Checkout::price", method), Map.of("tasks", 90));
		Path page = this.dir.resolve("analysis.html");
		Files.writeString(page, new AnalysisHtmlWriter().write(report), StandardCharsets.UTF_8);
		String dom = HeadlessChromium.dumpDom(page.toUri().toString(), this.dir);
		assertThat(dom).contains("<div class=\"finding critical\" id=\"lock-contention\">",
				"<div class=\"finding info\" id=\"unaccounted-time\">", "Threads queue on one lock",
				"What to do:", "Shorten what runs.", "com.acme.Ledger", "GET /orders/{id}", "com.acme.Checkout::price",
				"tenant=&lt;img src=x onerror=alert(1)&gt;");
		assertThat(dom).doesNotContainIgnoringCase("<img").doesNotContainIgnoringCase("<script");
		// the critical finding comes first, as in the report
		assertThat(dom.indexOf("id=\"lock-contention\"")).isLessThan(dom.indexOf("id=\"unaccounted-time\""));
	}

	@Test
	void aReportWithoutFindingsSaysSo() throws Exception {
		TraceReport report = new TraceReport(Instant.EPOCH, Instant.EPOCH, "capture", List.of("diagkit"), List.of(),
				Map.of(), Map.of(), Map.of());
		Path page = this.dir.resolve("empty.html");
		Files.writeString(page, new AnalysisHtmlWriter().write(report), StandardCharsets.UTF_8);
		assertThat(HeadlessChromium.dumpDom(page.toUri().toString(), this.dir)).contains("id=\"no-findings\"",
				"No findings");
	}

}
