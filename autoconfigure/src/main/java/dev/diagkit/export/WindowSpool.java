package dev.diagkit.export;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.diagkit.profiling.ProfileType;
import dev.diagkit.runtime.DirectoryLock;

/**
 * Windows waiting on disk: one file per window, {@code window-<number>.window}, the number
 * zero-padded so that the names sort in the windows' order. A file holds the pprof and what
 * the ingest request needs besides (type, range, period, series). It is written under a
 * temporary name, forced to disk and then moved into place atomically, so a file with a
 * window's name is always whole; temporary files a crash left behind are deleted on
 * {@link #open}. A lock file keeps two sinks, in one process or two, from sharing a
 * directory and sending each other's windows.
 */
final class WindowSpool implements Closeable {

	private static final Pattern WINDOW_FILE = Pattern.compile("window-(\\d{20})\\.window");

	private static final String TEMPORARY_SUFFIX = ".tmp";

	private static final String LOCK_FILE = "spool.lock";

	/** "DKPW": diagkit Pyroscope window. */
	private static final int MAGIC = 0x444B5057;

	private static final int VERSION = 1;

	private final Path directory;

	private final DirectoryLock lock;

	private WindowSpool(Path directory, DirectoryLock lock) {
		this.directory = directory;
		this.lock = lock;
	}

	/**
	 * Opens the spool in {@code directory}, creating it if needed, and deletes the temporary
	 * files of writes a crash interrupted.
	 * @param directory the directory
	 * @return the spool
	 * @throws IOException if the directory cannot be created or read
	 * @throws IllegalStateException if another sink has the directory
	 */
	static WindowSpool open(Path directory) throws IOException {
		DirectoryLock lock = DirectoryLock.acquire(directory, LOCK_FILE, "Pyroscope spool");
		lock.deleteLeftovers("window-*" + TEMPORARY_SUFFIX);
		return new WindowSpool(directory, lock);
	}

	Path directory() {
		return this.directory;
	}

	/**
	 * Returns the windows in the spool, oldest first.
	 * @return each window's number and the size of its file
	 * @throws IOException if the directory cannot be read
	 */
	NavigableMap<Long, Long> list() throws IOException {
		NavigableMap<Long, Long> windows = new TreeMap<>();
		try (DirectoryStream<Path> files = Files.newDirectoryStream(this.directory, "window-*")) {
			for (Path file : files) {
				Matcher matcher = WINDOW_FILE.matcher(file.getFileName().toString());
				if (matcher.matches()) {
					windows.put(Long.parseLong(matcher.group(1)), Files.size(file));
				}
			}
		}
		return windows;
	}

	/**
	 * Encodes a window as a spool file holds it; its length is the size the file will have.
	 * @param upload the window
	 * @return the file's content
	 */
	static byte[] encode(WindowUpload upload) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(upload.pprof().length + 256);
		try (DataOutputStream out = new DataOutputStream(bytes)) {
			out.writeInt(MAGIC);
			out.writeByte(VERSION);
			out.writeLong(upload.sequence());
			writeString(out, upload.type().id());
			writeInstant(out, upload.from());
			writeInstant(out, upload.until());
			out.writeLong(upload.period());
			writeString(out, upload.series().serviceName());
			out.writeInt(upload.series().labels().size());
			for (Map.Entry<String, String> label : upload.series().labels().entrySet()) {
				writeString(out, label.getKey());
				writeString(out, label.getValue());
			}
			out.writeInt(upload.pprof().length);
			out.write(upload.pprof());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return bytes.toByteArray();
	}

	/**
	 * Writes a window's file: under a temporary name, forced to disk, then moved into place.
	 * @param number the window's number
	 * @param content the window, {@link #encode encoded}
	 * @throws IOException if writing fails; no window file is left behind then
	 */
	void write(long number, byte[] content) throws IOException {
		Path target = file(number);
		Path temporary = target.resolveSibling(target.getFileName() + TEMPORARY_SUFFIX);
		try {
			try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
					StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
				ByteBuffer buffer = ByteBuffer.wrap(content);
				while (buffer.hasRemaining()) {
					channel.write(buffer);
				}
				channel.force(true);
			}
			Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException ex) {
			Files.deleteIfExists(temporary);
			throw ex;
		}
	}

	/**
	 * Reads a window's file.
	 * @param number the window's number
	 * @return the window
	 * @throws IOException if the file cannot be read or is not a spooled window
	 */
	WindowUpload read(long number) throws IOException {
		Path file = file(number);
		byte[] content = Files.readAllBytes(file);
		try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(content))) {
			if (in.readInt() != MAGIC || in.readUnsignedByte() != VERSION) {
				throw new IOException(file + " is not a spooled window of this version");
			}
			long sequence = in.readLong();
			ProfileType type = type(readString(in), file);
			Instant from = readInstant(in);
			Instant until = readInstant(in);
			long period = in.readLong();
			String serviceName = readString(in);
			int labelCount = in.readInt();
			if (labelCount < 0 || labelCount > in.available()) {
				throw new IOException(file + " is damaged: it claims " + labelCount + " labels");
			}
			Map<String, String> labels = new LinkedHashMap<>();
			for (int i = 0; i < labelCount; i++) {
				labels.put(readString(in), readString(in));
			}
			byte[] pprof = readBytes(in);
			if (in.available() != 0) {
				throw new IOException(file + " is damaged: " + in.available() + " bytes follow the profile");
			}
			return new WindowUpload(sequence, type, from, until, new SeriesLabels(serviceName, labels), period, pprof);
		}
		catch (RuntimeException ex) {
			// an impossible instant or a blank service name: the file was not written by write()
			throw new IOException(file + " is damaged: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Deletes a window's file, if it is there.
	 * @param number the window's number
	 * @throws IOException if the file cannot be deleted
	 */
	void delete(long number) throws IOException {
		Files.deleteIfExists(file(number));
	}

	Path file(long number) {
		return this.directory.resolve(String.format("window-%020d.window", number));
	}

	/**
	 * Releases the directory for another sink; the windows stay.
	 */
	@Override
	public void close() throws IOException {
		this.lock.close();
	}

	private static ProfileType type(String id, Path file) throws IOException {
		for (ProfileType type : ProfileType.values()) {
			if (type.id().equals(id)) {
				return type;
			}
		}
		throw new IOException(file + " holds an unknown profile type '" + id + "'");
	}

	private static void writeInstant(DataOutputStream out, Instant instant) throws IOException {
		out.writeLong(instant.getEpochSecond());
		out.writeInt(instant.getNano());
	}

	private static Instant readInstant(DataInputStream in) throws IOException {
		return Instant.ofEpochSecond(in.readLong(), in.readInt());
	}

	private static void writeString(DataOutputStream out, String value) throws IOException {
		byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
		out.writeInt(bytes.length);
		out.write(bytes);
	}

	private static String readString(DataInputStream in) throws IOException {
		return new String(readBytes(in), StandardCharsets.UTF_8);
	}

	private static byte[] readBytes(DataInputStream in) throws IOException {
		int length = in.readInt();
		if (length < 0 || length > in.available()) {
			throw new IOException("damaged: a field claims " + length + " bytes, " + in.available() + " remain");
		}
		return in.readNBytes(length);
	}

}
