package dev.diagkit.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

import org.jspecify.annotations.Nullable;

/**
 * Reads the small text files of {@code /proc} and {@code /sys/fs/cgroup}. Every method
 * answers {@code null} or empty when the file is missing, unreadable or not what was
 * expected: these files come and go with kernels, containers and permissions.
 */
public final class KernelFiles {

	private static final int SMALL_FILE = 2048;

	private KernelFiles() {
	}

	/**
	 * Reads a whole file as UTF-8 text.
	 * @param file the file
	 * @return the text, or {@code null} when the file cannot be read
	 */
	public static @Nullable String read(Path file) {
		try (InputStream in = Files.newInputStream(file)) {
			// proc and cgroup files report a size of 0, for which Files.readAllBytes starts
			// with an 8 KiB buffer and grows it; these files are rarely over 1 KiB
			byte[] buffer = new byte[SMALL_FILE];
			int length = in.readNBytes(buffer, 0, buffer.length);
			if (length == buffer.length) {
				byte[] rest = in.readAllBytes();
				byte[] whole = Arrays.copyOf(buffer, length + rest.length);
				System.arraycopy(rest, 0, whole, length, rest.length);
				buffer = whole;
				length = whole.length;
			}
			// Decoding replaces malformed bytes instead of throwing, unlike Files.readString.
			return new String(buffer, 0, length, StandardCharsets.UTF_8);
		}
		catch (IOException | SecurityException ex) {
			return null;
		}
	}

	/**
	 * Reads a file holding one whole number, such as {@code memory.current}.
	 * @param file the file
	 * @return the number, or empty when the file is missing or holds anything else (such
	 * as {@code max})
	 */
	public static OptionalLong readLong(Path file) {
		String text = read(file);
		return (text != null) ? parseLong(text.trim()) : OptionalLong.empty();
	}

	/**
	 * Reads a file of {@code key value} lines, such as {@code memory.stat}; lines whose
	 * value is not a whole number are left out.
	 * @param file the file
	 * @return the values by key, or {@code null} when the file cannot be read
	 */
	public static @Nullable Map<String, Long> readKeyedLongs(Path file) {
		String text = read(file);
		if (text == null) {
			return null;
		}
		Map<String, Long> values = new HashMap<>();
		for (String line : text.split("\n")) {
			String[] parts = line.trim().split("\\s+");
			if (parts.length == 2) {
				OptionalLong value = parseLong(parts[1]);
				if (value.isPresent()) {
					values.putIfAbsent(parts[0], value.getAsLong());
				}
			}
		}
		return values;
	}

	/**
	 * Parses a whole number.
	 * @param text the text
	 * @return the number, or empty when the text is not one
	 */
	public static OptionalLong parseLong(String text) {
		try {
			return OptionalLong.of(Long.parseLong(text));
		}
		catch (NumberFormatException ex) {
			return OptionalLong.empty();
		}
	}

}
