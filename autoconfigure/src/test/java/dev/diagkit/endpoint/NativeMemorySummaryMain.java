package dev.diagkit.endpoint;

/**
 * Prints this JVM's {@link NativeMemorySummary}: run in a child JVM started with
 * {@code -XX:NativeMemoryTracking=summary} by {@link NativeMemorySummaryTests}. One
 * {@code key=value} line per parsed figure, then the JVM's text.
 */
public final class NativeMemorySummaryMain {

	private NativeMemorySummaryMain() {
	}

	/**
	 * Takes and prints the summary.
	 * @param args ignored
	 */
	public static void main(String[] args) {
		NativeMemorySummary summary = NativeMemorySummary.take();
		StringBuilder out = new StringBuilder();
		out.append("status=").append(summary.status()).append('\n');
		summary.total()
			.ifPresent((total) -> out.append("total.reservedKb=")
				.append(total.reservedKb())
				.append("\ntotal.committedKb=")
				.append(total.committedKb())
				.append('\n'));
		for (NativeMemorySummary.Category category : summary.categories()) {
			out.append("category=")
				.append(category.name())
				.append(";reservedKb=")
				.append(category.reservedKb())
				.append(";committedKb=")
				.append(category.committedKb())
				.append('\n');
		}
		out.append("message=").append(summary.message()).append('\n');
		out.append("----\n").append(summary.text());
		System.out.print(out);
		System.out.flush();
	}

}
