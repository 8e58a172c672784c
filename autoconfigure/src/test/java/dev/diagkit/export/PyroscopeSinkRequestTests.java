package dev.diagkit.export;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.diagkit.export.PyroscopeIngest.Outcome;
import dev.diagkit.export.PyroscopeIngestServer.ParsedName;
import dev.diagkit.profiling.ProfileType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ingest request a window becomes, checked against the name syntax Pyroscope parses,
 * and how answers are classified.
 */
class PyroscopeSinkRequestTests {

	private static final Instant FROM = Instant.parse("2025-03-01T12:00:00Z");

	@Test
	void nameKeepsToPyroscopesSyntax() throws Exception {
		Map<String, String> labels = new LinkedHashMap<>();
		labels.put("env", "prod");
		labels.put("k8s.pod", "checkout-7f9c");
		labels.put("app-version", "1.4.2");
		labels.put("app_version", "duplicate after sanitising");
		labels.put("__reserved", "x");
		labels.put("", "empty name");
		labels.put("-", "nothing left but _... and kept");
		labels.put("note", "a,b}c = {d}");
		String name = PyroscopeIngest.name(new SeriesLabels("My Shop/checkout-api!", labels));
		assertThat(name).isEqualTo("My_Shop/checkout-api_{env=prod,k8s.pod=checkout-7f9c,app_version=1.4.2,"
				+ "_=nothing left but _... and kept,note=a_b_c = {d_}");
		ParsedName parsed = PyroscopeIngestServer.parseName(name);
		assertThat(parsed.serviceName()).isEqualTo("My_Shop/checkout-api_");
		assertThat(parsed.labels()).containsExactly(Map.entry("env", "prod"), Map.entry("k8s.pod", "checkout-7f9c"),
				Map.entry("app_version", "1.4.2"), Map.entry("_", "nothing left but _... and kept"),
				Map.entry("note", "a_b_c = {d_"));
	}

	@Test
	void aSeriesWithoutLabelsHasEmptyBraces() throws Exception {
		String name = PyroscopeIngest.name(new SeriesLabels("checkout", Map.of()));
		assertThat(name).isEqualTo("checkout{}");
		assertThat(PyroscopeIngestServer.parseName(name).labels()).isEmpty();
	}

	@Test
	void uriCarriesTheWindowAndEncodesTheName() {
		PyroscopeIngest ingest = new PyroscopeIngest(
				PyroscopeSink.Settings.of(URI.create("https://grafana.example/pyroscope/"), Path.of("spool")));
		WindowUpload cpu = upload(ProfileType.CPU, 20_000_000, FROM.plusMillis(9_500));
		URI uri = ingest.uri(cpu);
		assertThat(uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath())
			.isEqualTo("https://grafana.example/pyroscope/ingest");
		assertThat(uri.getRawQuery()).startsWith("name=checkout%7Benv%3Dprod%2Cnote%3Da+b%7D")
			.endsWith("&from=" + FROM.getEpochSecond() + "&until=" + (FROM.getEpochSecond() + 10)
					+ "&format=pprof&spyName=diagkit&sampleRate=50");
		String name = uri.getRawQuery().substring("name=".length(), uri.getRawQuery().indexOf('&'));
		assertThat(URLDecoder.decode(name, StandardCharsets.UTF_8)).isEqualTo("checkout{env=prod,note=a b}");
		WindowUpload lock = upload(ProfileType.LOCK, 1, FROM.plusSeconds(10));
		assertThat(ingest.uri(lock).getRawQuery()).as("a lock profile has no sampling rate")
			.doesNotContain("sampleRate");
	}

	@Test
	void answersAreSuccessRetryOrRejected() {
		for (int status : new int[] { 200, 202, 204 }) {
			assertThat(PyroscopeIngest.outcome(status)).as("%d", status).isEqualTo(Outcome.SUCCESS);
		}
		for (int status : new int[] { -1, 408, 429, 500, 502, 503, 504 }) {
			assertThat(PyroscopeIngest.outcome(status)).as("%d", status).isEqualTo(Outcome.RETRY);
		}
		for (int status : new int[] { 301, 400, 401, 403, 404, 413, 422 }) {
			assertThat(PyroscopeIngest.outcome(status)).as("%d", status).isEqualTo(Outcome.REJECTED);
		}
	}

	private static WindowUpload upload(ProfileType type, long period, Instant until) {
		Map<String, String> labels = new LinkedHashMap<>();
		labels.put("env", "prod");
		labels.put("note", "a b");
		return new WindowUpload(0, type, FROM, until, new SeriesLabels("checkout", labels), period, new byte[0]);
	}

}
