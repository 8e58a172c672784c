package dev.diagkit.runtime;


/**
 * Prints this JVM's {@link NativeMemorySummary}: run in a child JVM started with
 * {@code -XX:NativeMemoryTracking=summary} by {@link NativeMemorySummaryTests}. One
 * {@code key=value} line per parsed figure, then the JVM's text.
 */
public final class NativeMemorySummaryMain {

	private NativeMemorySummaryMain() {
	}

	/**
	 * Takes the summary and writes it to the file named by the first argument.
	 * @param args ignored
	 */
	public static void main(String[] args) throws java.io.IOException {
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
		java.nio.file.Files.writeString(java.nio.file.Path.of(args[0]), out);
	}

}
