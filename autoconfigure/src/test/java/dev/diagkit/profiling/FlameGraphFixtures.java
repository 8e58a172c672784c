package dev.diagkit.profiling;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.diagkit.labels.LabelSet;

/**
 * A CPU profile for the flame graph tests: {@code tenant=acme} spends most of its time in
 * {@code com.acme.Pricing.compute}, {@code tenant=globex} in {@code com.globex.Billing},
 * and a few samples carry hostile or non-ASCII names, labels and notes. 620 samples of
 * 10 ms, 500 of them in {@code Pricing.compute}.
 */
final class FlameGraphFixtures {

	static final String HOT_METHOD = "com.acme.Pricing.compute";

	static final String EVIL_CLASS = "Evil</script><img src=x onerror=alert(1)>";

	static final String EVIL_FUNCTION = EVIL_CLASS + ".run";

	static final String EVIL_LABEL_VALUE = "<b>\"o'hare\" & co</b>";

	static final String EVIL_NOTE = "Stacks deeper than 64 frames were truncated </script><script>alert(2)</script>";

	static final String UNICODE_FUNCTION = "com.acme.Pr\u00fcfung.gr\u00f6\u00dfe";

	static final String CJK_FUNCTION = "\u65e5\u672c.\u51e6\u7406\ud83d\udd25";

	static final Instant START = Instant.parse("2025-06-01T12:00:00Z");

	static final long SAMPLE_NANOS = 10_000_000L;

	private FlameGraphFixtures() {
	}

	static Profile cpuProfile() {
		LabelSet acme = LabelSet.of("tenant", "acme", "endpoint", "GET /prices");
		LabelSet globex = LabelSet.of("tenant", "globex");
		LabelSet hostile = LabelSet.of("tenant", EVIL_LABEL_VALUE, "region", "z\u00fcrich");
		Profile.Builder builder = Profile.builder(ProfileType.CPU, START, SAMPLE_NANOS);
		add(builder, acme, 300, "java.lang.Thread.run", "com.acme.Server.handle", HOT_METHOD);
		add(builder, acme, 120, "java.lang.Thread.run", "com.acme.Server.handle", HOT_METHOD,
				"com.acme.Pricing.discount");
		add(builder, acme, 80, "java.lang.Thread.run", "com.acme.Server.handle", HOT_METHOD,
				"com.acme.Pricing.discount", "java.math.BigDecimal.multiply");
		add(builder, globex, 60, "java.lang.Thread.run", "com.globex.Billing.run", "com.globex.Billing.invoice");
		add(builder, globex, 40, "java.lang.Thread.run", "com.globex.Billing.run");
		add(builder, hostile, 10, "java.lang.Thread.run", EVIL_FUNCTION);
		add(builder, hostile, 10, "java.lang.Thread.run", UNICODE_FUNCTION, CJK_FUNCTION);
		builder.note(EVIL_NOTE);
		return builder.build(Duration.ofSeconds(30));
	}

	/**
	 * An earlier profile to compare {@link #cpuProfile()} with: 500 samples, of which
	 * {@code Pricing.compute} 100 (20%, against 80.65% now) and {@code com.globex.Billing.run}
	 * 400 (80%, against 16.13% now).
	 */
	static Profile cpuBaseProfile() {
		LabelSet acme = LabelSet.of("tenant", "acme", "endpoint", "GET /prices");
		LabelSet globex = LabelSet.of("tenant", "globex");
		Profile.Builder builder = Profile.builder(ProfileType.CPU, START.minus(Duration.ofDays(1)), SAMPLE_NANOS);
		add(builder, acme, 60, "java.lang.Thread.run", "com.acme.Server.handle", HOT_METHOD);
		add(builder, acme, 40, "java.lang.Thread.run", "com.acme.Server.handle", HOT_METHOD,
				"com.acme.Pricing.discount");
		add(builder, globex, 300, "java.lang.Thread.run", "com.globex.Billing.run", "com.globex.Billing.invoice");
		add(builder, globex, 100, "java.lang.Thread.run", "com.globex.Billing.run");
		return builder.build(Duration.ofSeconds(30));
	}

	/**
	 * Adds {@code count} samples of one stack, given root first as people read it.
	 */
	private static void add(Profile.Builder builder, LabelSet labels, int count, String... rootFirst) {
		List<StackFrame> stack = new ArrayList<>();
		for (int i = rootFirst.length - 1; i >= 0; i--) {
			String function = rootFirst[i];
			int dot = function.lastIndexOf('.');
			stack.add(new StackFrame(function.substring(0, dot), function.substring(dot + 1), null, 0));
		}
		builder.add(stack, labels, count, count * SAMPLE_NANOS);
	}

}
