package dev.diagkit.runtime;

import java.nio.file.Path;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * The contents of one pressure stall information (PSI) file, such as
 * {@code /proc/pressure/memory} or a cgroup's {@code memory.pressure}:
 * <pre>
 * some avg10=0.18 avg60=0.06 avg300=0.01 total=2206280
 * full avg10=0.00 avg60=0.00 avg300=0.00 total=0
 * </pre>
 * {@code some} is the share of time in which at least one task was stalled on the
 * resource, {@code full} the share in which all non-idle tasks were stalled at once.
 * {@code full} is absent from machine-wide CPU pressure on kernels before 5.13.
 *
 * @param some the {@code some} line
 * @param full the {@code full} line, or {@code null} when the file has none
 */
public record PressureStall(Stall some, @Nullable Stall full) {

	/**
	 * Reads a PSI file.
	 * @param file the file
	 * @return its contents, or empty when the file is missing, unreadable or malformed
	 */
	public static Optional<PressureStall> read(Path file) {
		String text = KernelFiles.read(file);
		return (text != null) ? parse(text) : Optional.empty();
	}

	/**
	 * Reads the machine-wide pressure of a resource from {@code <procRoot>/pressure/}.
	 * @param procRoot the root of the proc file system, normally {@code /proc}
	 * @param resource the resource
	 * @return its pressure, or empty when the kernel does not report it
	 */
	public static Optional<PressureStall> readSystem(Path procRoot, PressureResource resource) {
		return read(resource.systemFile(procRoot));
	}

	/**
	 * Parses the text of a PSI file. Unknown fields are ignored; a {@code some} line is
	 * required, and every line present must carry {@code avg10}, {@code avg60},
	 * {@code avg300} and {@code total}.
	 * @param text the file's text
	 * @return its contents, or empty when the text is malformed
	 */
	public static Optional<PressureStall> parse(String text) {
		Stall some = null;
		Stall full = null;
		for (String line : text.split("\n")) {
			String trimmed = line.trim();
			if (trimmed.isEmpty()) {
				continue;
			}
			String[] fields = trimmed.split("\\s+");
			Stall stall = Stall.parse(fields);
			if (stall == null) {
				return Optional.empty();
			}
			if (fields[0].equals("some") && some == null) {
				some = stall;
			}
			else if (fields[0].equals("full") && full == null) {
				full = stall;
			}
		}
		return (some != null) ? Optional.of(new PressureStall(some, full)) : Optional.empty();
	}

	/**
	 * One line of a PSI file: running averages of the share of wall time stalled over the
	 * last 10, 60 and 300 seconds, in percent as the kernel writes them (0 to 100), and the
	 * total stall time since boot (or since the cgroup was created).
	 *
	 * @param avg10 percent of the last 10 seconds
	 * @param avg60 percent of the last 60 seconds
	 * @param avg300 percent of the last 300 seconds
	 * @param totalMicros total stall time in microseconds
	 */
	public record Stall(double avg10, double avg60, double avg300, long totalMicros) {

		private static final double MICROS_PER_SECOND = 1_000_000.0;

		/**
		 * Returns the total stall time in seconds.
		 * @return {@link #totalMicros()} in seconds
		 */
		public double totalSeconds() {
			return this.totalMicros / MICROS_PER_SECOND;
		}

		private static @Nullable Stall parse(String[] fields) {
			if (!fields[0].equals("some") && !fields[0].equals("full")) {
				return null;
			}
			double avg10 = -1;
			double avg60 = -1;
			double avg300 = -1;
			long total = -1;
			for (int i = 1; i < fields.length; i++) {
				int eq = fields[i].indexOf('=');
				if (eq <= 0) {
					return null;
				}
				String key = fields[i].substring(0, eq);
				String value = fields[i].substring(eq + 1);
				try {
					switch (key) {
						case "avg10" -> avg10 = percent(value);
						case "avg60" -> avg60 = percent(value);
						case "avg300" -> avg300 = percent(value);
						case "total" -> total = Long.parseLong(value);
						default -> {
							// a field added by a later kernel
						}
					}
				}
				catch (NumberFormatException ex) {
					return null;
				}
			}
			if (avg10 < 0 || avg60 < 0 || avg300 < 0 || total < 0) {
				return null;
			}
			return new Stall(avg10, avg60, avg300, total);
		}

		private static double percent(String value) {
			double parsed = Double.parseDouble(value);
			if (!(parsed >= 0 && parsed <= 100)) {
				throw new NumberFormatException("Not a percentage: " + value);
			}
			return parsed;
		}

	}

}
