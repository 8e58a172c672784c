package dev.diagkit.profiling;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.diagkit.testing.HeadlessChromium;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.diagkit.profiling.FlameGraphFixtures.HOT_METHOD;
import static dev.diagkit.profiling.FlameGraphFixtures.UNICODE_FUNCTION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Opens the flame graph page in Debian's headless Chromium and reads the DOM its script
 * built. Skipped when Chromium is not installed, except under {@code CI=true}, where that
 * fails.
 */
class FlameGraphBrowserTests {

	@TempDir
	Path dir;

	@BeforeAll
	static void chromiumIsInstalled() {
		HeadlessChromium.assumeInstalled();
	}

	@Test
	void rendersFramesAndLabelsButNoInjectedElements() throws Exception {
		String dom = dumpDom(page(""));
		assertThat(frames(dom)).contains(HOT_METHOD, "com.acme.Server.handle", "com.globex.Billing.run",
				UNICODE_FUNCTION, "Evil&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;.run");
		assertThat(dom).doesNotContainIgnoringCase("<img").doesNotContain("<b>");
		assertThat(count(dom, "<script")).isEqualTo(2);
		assertThat(options(dom)).containsExactly("all samples", "endpoint=GET /prices", "region=z\u00fcrich",
				"tenant=&lt;b&gt;\"o'hare\" &amp; co&lt;/b&gt;", "tenant=acme", "tenant=globex");
		assertThat(widthPercent(dom, HOT_METHOD)).isCloseTo(100.0 * 500 / 620, within(0.01));
	}

	@Test
	void labelFilterKeepsOnlyThatLabelsSamples() throws Exception {
		String dom = dumpDom(page("#label=" + URLEncoder.encode("tenant=globex", StandardCharsets.UTF_8)));
		assertThat(frames(dom)).contains("com.globex.Billing.run", "com.globex.Billing.invoice")
			.doesNotContain(HOT_METHOD);
		assertThat(dom).contains("tenant=globex: 1.00 s of 6.20 s (16.13%)");
		assertThat(widthPercent(dom, "com.globex.Billing.run")).isCloseTo(100.0, within(0.01));
	}

	@Test
	void searchHighlightsMatchingFrames() throws Exception {
		String dom = dumpDom(page("#search=pricing"));
		assertThat(dom).containsPattern("<div class=\"frame match\"[^>]*>" + Pattern.quote(HOT_METHOD) + "</div>")
			.containsPattern("<div class=\"frame\"[^>]*>com\\.acme\\.Server\\.handle</div>")
			.contains("matched 5.00 s (80.65%)");
	}

	@Test
	void differentialGraphSizesByMeanShareAndColoursGrowthAndShrinkage() throws Exception {
		Path page = this.dir.resolve("diff.html");
		Files.writeString(page, new FlameGraphHtmlWriter().write(FlameGraphFixtures.cpuProfile(),
				FlameGraphFixtures.cpuBaseProfile()), StandardCharsets.US_ASCII);
		String dom = dumpDom(page.toUri().toString());
		assertThat(dom).contains("Compared with");
		assertThat(widthPercent(dom, HOT_METHOD)).isCloseTo((100.0 * 500 / 620 + 20.0) / 2, within(0.01));
		assertThat(widthPercent(dom, "com.globex.Billing.run")).isCloseTo((100.0 * 100 / 620 + 80.0) / 2,
				within(0.01));
		int[] grew = background(dom, HOT_METHOD);
		int[] shrank = background(dom, "com.globex.Billing.run");
		assertThat(grew[0]).as("red of the frame that grew %s", List.of(grew[0], grew[1], grew[2]))
			.isGreaterThan(grew[2] + 60);
		assertThat(shrank[2]).as("blue of the frame that shrank %s", List.of(shrank[0], shrank[1], shrank[2]))
			.isGreaterThan(shrank[0] + 60);
		assertThat(frames(dom)).contains(FlameGraphFixtures.EVIL_FUNCTION.replace("<", "&lt;").replace(">", "&gt;"));
	}

	private static int[] background(String dom, String function) {
		Matcher frame = Pattern.compile("<div class=\"frame\"[^>]* style=\"[^\"]*background-color: rgb\\((\\d+), "
				+ "(\\d+), (\\d+)\\)[^\"]*\">" + Pattern.quote(function) + "</div>").matcher(dom);
		assertThat(frame.find()).as("coloured frame of %s", function).isTrue();
		return new int[] { Integer.parseInt(frame.group(1)), Integer.parseInt(frame.group(2)),
				Integer.parseInt(frame.group(3)) };
	}

	private String page(String fragment) throws IOException {
		Path page = this.dir.resolve("profile.html");
		if (!Files.exists(page)) {
			Files.writeString(page, new FlameGraphHtmlWriter().write(FlameGraphFixtures.cpuProfile()),
					StandardCharsets.US_ASCII);
		}
		return page.toUri() + fragment;
	}

	private String dumpDom(String url) throws Exception {
		return HeadlessChromium.dumpDom(url, this.dir);
	}

	private static List<String> frames(String dom) {
		return matches(Pattern.compile("<div class=\"frame[^\"]*\"[^>]*>([^<]*)</div>"), dom);
	}

	private static List<String> options(String dom) {
		Matcher select = Pattern.compile("<select id=\"label\"[^>]*>(.*?)</select>", Pattern.DOTALL).matcher(dom);
		assertThat(select.find()).as("label select").isTrue();
		return matches(Pattern.compile("<option value=\"-?\\d+\">([^<]*)</option>"), select.group(1));
	}

	private static double widthPercent(String dom, String function) {
		Matcher frame = Pattern
			.compile("<div class=\"frame\"[^>]* style=\"[^\"]*width: ([0-9.]+)%[^\"]*\">" + Pattern.quote(function)
					+ "</div>")
			.matcher(dom);
		assertThat(frame.find()).as("frame of %s", function).isTrue();
		return Double.parseDouble(frame.group(1));
	}

	private static List<String> matches(Pattern pattern, String text) {
		List<String> found = new ArrayList<>();
		Matcher matcher = pattern.matcher(text);
		while (matcher.find()) {
			found.add(matcher.group(1));
		}
		return found;
	}

	private static int count(String text, String part) {
		int count = 0;
		for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
			count++;
		}
		return count;
	}

}
