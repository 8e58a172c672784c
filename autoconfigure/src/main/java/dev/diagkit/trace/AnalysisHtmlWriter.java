package dev.diagkit.trace;

import java.util.List;
import java.util.Map;

import dev.diagkit.profiling.ContentSecurityPolicy;

/**
 * Writes a {@link TraceReport} as one self-contained HTML page: no script, no request to
 * anywhere, a Content-Security-Policy that allows only its own style. Every text from the
 * trace (labels, names, frames) is escaped: label values come from requests.
 */
public final class AnalysisHtmlWriter {

	private static final String STYLE = "body{font:14px system-ui,sans-serif;margin:1.5em;color:#222}"
			+ "h1{font-size:1.3em}h2{font-size:1.1em;margin-top:1.5em}"
			+ ".finding{border-left:6px solid #999;padding:.4em .8em;margin:1em 0;background:#fafafa}"
			+ ".critical{border-color:#c62828}.warning{border-color:#ef6c00}.info{border-color:#1565c0}"
			+ ".severity{font-weight:bold;text-transform:uppercase;font-size:.8em}"
			+ "table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.2em .5em;text-align:left;"
			+ "vertical-align:top}code,pre{font:12px ui-monospace,monospace;white-space:pre-wrap}";

	private static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src '"
			+ ContentSecurityPolicy.hash(STYLE) + "'; base-uri 'none'; form-action 'none'";

	/**
	 * Writes the page.
	 * @param report the report
	 * @return the page
	 */
	public String write(TraceReport report) {
		StringBuilder page = new StringBuilder(8192);
		page.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n");
		page.append("<meta http-equiv=\"Content-Security-Policy\" content=\"").append(CONTENT_SECURITY_POLICY)
			.append("\">\n");
		page.append("<title>Trace analysis</title><style>").append(STYLE).append("</style></head><body>\n");
		page.append("<h1>Trace analysis</h1>\n<p>").append(escape(report.from().toString())).append(" to ")
			.append(escape(report.to().toString())).append(" (").append(escape(report.source()))
			.append("), analysed by ").append(escape(String.join(", ", report.analysers()))).append(".<br>Read: ")
			.append(escape(report.counts().toString())).append("</p>\n");
		page.append("<h2>Findings</h2>\n");
		if (report.findings().isEmpty()) {
			page.append("<p id=\"no-findings\">No findings: nothing in this trace matches a pattern the analysis "
					+ "looks for.</p>\n");
		}
		for (Finding finding : report.findings()) {
			String severity = finding.severity().toString();
			page.append("<div class=\"finding ").append(severity).append("\" id=\"").append(escape(finding.id()))
				.append("\">\n<div><span class=\"severity\">").append(severity).append("</span> · score ")
				.append(finding.score()).append(" · <b>").append(escape(finding.title())).append("</b> <code>")
				.append(escape(finding.id())).append("</code></div>\n<p class=\"summary\">")
				.append(escape(finding.summary())).append("</p>\n<p><b>What to do:</b> ")
				.append(escape(finding.recommendation())).append("</p>\n<table class=\"evidence\">");
			finding.evidence().forEach((key, value) -> page.append("<tr><th>").append(escape(key)).append("</th><td>")
				.append(value(value)).append("</td></tr>"));
			page.append("</table>\n</div>\n");
		}
		statistics(page, "Tasks", "task", report.tasks());
		statistics(page, "Timed methods", "method", report.methods());
		page.append("</body></html>\n");
		return page.toString();
	}

	private static void statistics(StringBuilder page, String title, String what,
			Map<String, Map<String, Object>> rows) {
		if (rows.isEmpty()) {
			return;
		}
		page.append("<h2>").append(title).append("</h2>\n<table class=\"").append(what).append("s\"><tr><th>")
			.append(what).append("</th><th>count</th><th>mean ms</th><th>p99 ms</th><th>max ms</th><th>by label</th></tr>");
		rows.forEach((name, stats) -> {
			page.append("<tr><td>").append(escape(name)).append("</td>");
			for (String key : List.of("count", "meanMs", "p99Ms", "maxMs")) {
				page.append("<td>").append(escape(String.valueOf(stats.get(key)))).append("</td>");
			}
			StringBuilder sliced = new StringBuilder();
			stats.forEach((key, value) -> {
				if (key.startsWith("by")) {
					sliced.append(escape(key)).append(": ").append(value(value)).append("<br>");
				}
			});
			page.append("<td>").append(sliced).append("</td></tr>");
		});
		page.append("</table>\n");
	}

	/** A value of the evidence: nested maps and lists as indented text, escaped. */
	private static String value(Object value) {
		if (value instanceof Map<?, ?> || value instanceof List<?>) {
			return "<code>" + escape(value.toString()) + "</code>";
		}
		return escape(String.valueOf(value));
	}

	static String escape(String text) {
		StringBuilder escaped = new StringBuilder(text.length() + 16);
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			switch (c) {
				case '<' -> escaped.append("&lt;");
				case '>' -> escaped.append("&gt;");
				case '&' -> escaped.append("&amp;");
				case '"' -> escaped.append("&quot;");
				case '\'' -> escaped.append("&#39;");
				default -> escaped.append(c);
			}
		}
		return escaped.toString();
	}

}
