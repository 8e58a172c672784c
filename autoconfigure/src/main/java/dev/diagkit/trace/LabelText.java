package dev.diagkit.trace;

import java.util.ArrayList;
import java.util.List;

import dev.diagkit.labels.LabelSet;

/**
 * Labels as one string field of a JFR event: {@code key=value} pairs separated by commas,
 * with {@code %}, {@code ,} and {@code =} in keys and values written as {@code %25},
 * {@code %2C} and {@code %3D}, so that any label set reads back exactly.
 */
final class LabelText {

	private LabelText() {
	}

	static String format(LabelSet labels) {
		if (labels.isEmpty()) {
			return "";
		}
		StringBuilder text = new StringBuilder(32);
		labels.forEach((key, value) -> {
			if (!text.isEmpty()) {
				text.append(',');
			}
			escape(text, key);
			text.append('=');
			escape(text, value);
		});
		return text.toString();
	}

	static LabelSet parse(String text) {
		if (text.isEmpty()) {
			return LabelSet.empty();
		}
		List<String> keyValues = new ArrayList<>();
		for (String pair : text.split(",", -1)) {
			int eq = pair.indexOf('=');
			if (eq < 0) {
				throw new IllegalArgumentException("Labels must be key=value pairs separated by commas, was '" + text + "'");
			}
			keyValues.add(unescape(pair.substring(0, eq)));
			keyValues.add(unescape(pair.substring(eq + 1)));
		}
		return LabelSet.of(keyValues.toArray(String[]::new));
	}

	private static void escape(StringBuilder text, String part) {
		for (int i = 0; i < part.length(); i++) {
			char c = part.charAt(i);
			switch (c) {
				case '%' -> text.append("%25");
				case ',' -> text.append("%2C");
				case '=' -> text.append("%3D");
				default -> text.append(c);
			}
		}
	}

	private static String unescape(String part) {
		if (part.indexOf('%') < 0) {
			return part;
		}
		return part.replace("%2C", ",").replace("%3D", "=").replace("%25", "%");
	}

}
