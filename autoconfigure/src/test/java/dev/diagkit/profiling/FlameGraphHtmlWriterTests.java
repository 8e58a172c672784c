package dev.diagkit.profiling;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.diagkit.labels.LabelSet;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static dev.diagkit.profiling.FlameGraphFixtures.CJK_FUNCTION;
import static dev.diagkit.profiling.FlameGraphFixtures.EVIL_FUNCTION;
import static dev.diagkit.profiling.FlameGraphFixtures.EVIL_LABEL_VALUE;
import static dev.diagkit.profiling.FlameGraphFixtures.EVIL_NOTE;
import static dev.diagkit.profiling.FlameGraphFixtures.HOT_METHOD;
import static dev.diagkit.profiling.FlameGraphFixtures.UNICODE_FUNCTION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class FlameGraphHtmlWriterTests {

	private static final Pattern DATA = Pattern
		.compile("<script type=\"application/json\" id=\"profile-data\">(.*?)</script>", Pattern.DOTALL);

	private static final Pattern CODE = Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL);

	private final FlameGraphHtmlWriter writer = new FlameGraphHtmlWriter();

	@Test
	void injectedFunctionNameDoesNotOpenAnElement() {
		String html = this.writer.write(FlameGraphFixtures.cpuProfile());
		assertThat(count(html, "<script")).as("script elements: the data and the code").isEqualTo(2);
		assertThat(count(html, "</script")).isEqualTo(2);
		assertThat(html).doesNotContainIgnoringCase("<img").doesNotContain("<b>").doesNotContain("<!--");
		assertThat(data(html)).contains("Evil\\u003c/script\\u003e\\u003cimg src=x onerror=alert(1)\\u003e.run");
	}

	@Test
	void embeddedDataReadsBackExactly() {
		JsonNode data = JsonMapper.builder().build().readTree(data(this.writer.write(FlameGraphFixtures.cpuProfile())));
		assertThat(strings(data.get("names"))).contains(HOT_METHOD, EVIL_FUNCTION, UNICODE_FUNCTION, CJK_FUNCTION);
		assertThat(strings(data.get("labels"))).containsExactly("endpoint=GET /prices", "region=z\u00fcrich",
				"tenant=" + EVIL_LABEL_VALUE, "tenant=acme", "tenant=globex");
		assertThat(data.get("type").asString()).isEqualTo("cpu");
		assertThat(data.get("samples")).hasSize(7);
		JsonNode first = data.get("samples").get(0);
		List<String> labelsOfFirst = new ArrayList<>();
		data.get("labelSets")
			.get(first.get(0).asInt())
			.forEach((i) -> labelsOfFirst.add(data.get("labels").get(i.asInt()).asString()));
		assertThat(labelsOfFirst).containsExactly("endpoint=GET /prices", "tenant=acme");
		assertThat(first.get(1).get(0).asLong()).isEqualTo(300);
		assertThat(first.get(1).get(1).asLong()).isEqualTo(300 * FlameGraphFixtures.SAMPLE_NANOS);
		List<String> rootFirst = new ArrayList<>();
		first.get(2).forEach((i) -> rootFirst.add(data.get("names").get(i.asInt()).asString()));
		assertThat(rootFirst).containsExactly("java.lang.Thread.run", "com.acme.Server.handle", HOT_METHOD);
	}

	@Test
	void notesAndHeaderAreEscapedText() {
		String html = this.writer.write(FlameGraphFixtures.cpuProfile());
		assertThat(html).contains("<li>Stacks deeper than 64 frames were truncated "
				+ "&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;</li>");
		assertThat(html).doesNotContain(EVIL_NOTE);
		assertThat(html).contains("<title>cpu profile, 2025-06-01T12:00:00Z - diagkit flame graph</title>")
			.contains("<h1>cpu profile</h1>")
			.contains("<dt>Start</dt><dd>2025-06-01T12:00:00Z</dd>")
			.contains("<dt>Duration</dt><dd>30.00 s</dd>")
			.contains("<dt>Period</dt><dd>10.00 ms cpu</dd>")
			.contains("<dt>Total</dt><dd>620 samples, 6.20 s cpu</dd>");
	}

	@Test
	void htmlTextEscapesMarkupAndNonAscii() throws IOException {
		StringWriter out = new StringWriter();
		FlameGraphHtmlWriter.text(out, "<a href='x'>\"&\" z\u00fcrich \ud83d\udd25 \u0000 \ud800</a>");
		assertThat(out).hasToString(
				"&lt;a href=&#39;x&#39;&gt;&quot;&amp;&quot; z&#xfc;rich &#x1f525; &#xfffd; &#xfffd;&lt;/a&gt;");
	}

	@Test
	void jsonStringEscapesWhatCouldEndTheScript() throws IOException {
		StringWriter out = new StringWriter();
		FlameGraphHtmlWriter.json(out, "</script><!-- & 'x' \"q\" \\ \n \u2028 \u00fc");
		assertThat(out).hasToString(
				"\"\\u003c/script\\u003e\\u003c!-- \\u0026 \\u0027x\\u0027 \\\"q\\\" \\\\ \\u000a \\u2028 \\u00fc\"");
	}

	@Test
	void pageIsAsciiAndLoadsNothing() {
		String html = this.writer.write(FlameGraphFixtures.cpuProfile());
		assertThat(html.chars().allMatch((c) -> c < 0x80)).as("page is pure ASCII").isTrue();
		assertThat(html).doesNotContain("http:").doesNotContain("https:").doesNotContain("<link");
		assertThat(html).contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; ");
	}

	@Test
	void contentSecurityPolicyAllowsExactlyTheInlineScriptAndStyle() throws Exception {
		String html = this.writer.write(FlameGraphFixtures.cpuProfile());
		Matcher code = CODE.matcher(html);
		assertThat(code.find()).isTrue();
		Matcher style = Pattern.compile("<style>(.*?)</style>", Pattern.DOTALL).matcher(html);
		assertThat(style.find()).isTrue();
		assertThat(html).contains("script-src '" + sha256(code.group(1)) + "'")
			.contains("style-src '" + sha256(style.group(1)) + "'");
	}

	@Test
	void sizesByTheLastSampleTypeByDefault() {
		assertThat(data(this.writer.write(FlameGraphFixtures.cpuProfile()))).contains("\"value\":1,");
		assertThat(data(new FlameGraphHtmlWriter(0).write(FlameGraphFixtures.cpuProfile()))).contains("\"value\":0,");
	}

	@Test
	void valueIndexOutOfRangeSaysWhatIsAccepted() {
		FlameGraphHtmlWriter third = new FlameGraphHtmlWriter(2);
		assertThatIllegalArgumentException().isThrownBy(() -> third.write(FlameGraphFixtures.cpuProfile()))
			.withMessage("valueIndex 2 does not exist in a cpu profile, whose values are 0 (samples), 1 (cpu)");
		assertThatIllegalArgumentException().isThrownBy(() -> new FlameGraphHtmlWriter(-1))
			.withMessage("valueIndex must be 0 or more, was -1");
	}

	@Test
	void writerAndStringAgree() throws IOException {
		StringWriter out = new StringWriter();
		this.writer.write(FlameGraphFixtures.cpuProfile(), out);
		assertThat(out).hasToString(this.writer.write(FlameGraphFixtures.cpuProfile()));
	}

	@Test
	void emptyProfileHasNoSamples() {
		Profile empty = Profile.builder(ProfileType.LOCK, FlameGraphFixtures.START, 1).build(Duration.ofMillis(1500));
		String html = this.writer.write(empty);
		assertThat(html).contains("<dt>Duration</dt><dd>1.50 s</dd>")
			.contains("<dt>Total</dt><dd>0 contentions, 0 ns delay</dd>")
			.doesNotContain("class=\"notes\"");
		assertThat(data(html)).contains("\"samples\":[]", "\"names\":[]", "\"labels\":[]")
			.endsWith("\"labelSets\":[]}");
	}

	@Test
	void allocationTotalsAreInBytes() {
		Profile alloc = Profile.builder(ProfileType.ALLOC, FlameGraphFixtures.START, 512 * 1024)
			.add(List.of(new StackFrame("com.acme.Cache", "fill", "Cache.java", 42)), LabelSet.of("tenant", "acme"),
					1200, 3L * 1024 * 1024)
			.build(Duration.ofSeconds(10));
		assertThat(this.writer.write(alloc)).contains("<dt>Period</dt><dd>512.00 KiB space</dd>")
			.contains("<dt>Total</dt><dd>1,200 alloc_objects, 3.00 MiB alloc_space</dd>");
	}

	private static String data(String html) {
		Matcher matcher = DATA.matcher(html);
		assertThat(matcher.find()).as("embedded profile data").isTrue();
		return matcher.group(1);
	}

	private static List<String> strings(JsonNode array) {
		List<String> strings = new ArrayList<>();
		array.forEach((node) -> strings.add(node.asString()));
		return strings;
	}

	private static int count(String text, String part) {
		int count = 0;
		for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
			count++;
		}
		return count;
	}

	private static String sha256(String text) throws Exception {
		byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
		return "sha256-" + Base64.getEncoder().encodeToString(digest);
	}

}
