package dev.diagkit.capacity;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.diagkit.runtime.DirectoryLock;
import org.jspecify.annotations.Nullable;

/**
 * The capacity sampler's rolling statistics on disk, so that a restarted service keeps its
 * hour (and day) of evidence. Each slot is written with its start on the wall clock; slots
 * that left their window while the service was down are dropped on reading.
 * <p>
 * One sampler at a time keeps its statistics in a directory: it holds a lock on
 * {@value #LOCK_NAME} there, so that a second instance of the service on the same host (the
 * default directory is named after the application) neither takes the first one's evidence
 * as its own nor writes over it. The file is written under a temporary name of its own,
 * forced to disk and moved over the old one, so a crash leaves the old file or the new one,
 * never half of one; a file is read whole before any of it is used. Its size is bounded: at
 * most {@value #MAX_EXECUTORS} executors are kept besides the fixed inputs, 360 slots of 28
 * bytes per input and window.
 */
final class CapacityStatisticsFile implements Closeable {

	/** The file's name in the statistics directory. */
	static final String NAME = "capacity-statistics.bin";

	/** The lock held by the sampler that keeps its statistics in the directory. */
	static final String LOCK_NAME = "capacity-statistics.lock";

	static final int MAX_EXECUTORS = 32;

	private static final String TEMPORARY_SUFFIX = ".tmp";

	/** Larger than any file this class writes (about 1 MB at most): such a file is not read. */
	private static final long MAX_BYTES = 4L * 1024 * 1024;

	private static final int MAGIC = 0x444b4353;

	private static final int VERSION = 1;

	private final Path file;

	private final DirectoryLock lock;

	private CapacityStatisticsFile(Path file, DirectoryLock lock) {
		this.file = file;
		this.lock = lock;
	}

	/**
	 * Takes the statistics file of {@code directory}, creating the directory if needed, and
	 * deletes the temporary files of writes a crash interrupted.
	 * @param directory the directory
	 * @return the file, or {@code null} when another sampler, of this process or another,
	 * keeps its statistics there
	 * @throws IOException if the directory cannot be created or the lock file opened
	 */
	static @Nullable CapacityStatisticsFile open(Path directory) throws IOException {
		DirectoryLock lock = DirectoryLock.tryAcquire(directory, LOCK_NAME);
		if (lock == null) {
			return null;
		}
		lock.deleteLeftovers(NAME + ".*" + TEMPORARY_SUFFIX);
		return new CapacityStatisticsFile(directory.resolve(NAME), lock);
	}

	Path path() {
		return this.file;
	}

	/**
	 * Writes the statistics of every input (the executors' under {@code executor:<name>}).
	 */
	void write(List<Duration> windows, Map<String, RollingStatistics[]> inputs, long nanoTime, long wallMillis)
			throws IOException {
		Path temporary = Files.createTempFile(this.file.getParent(), NAME + ".", TEMPORARY_SUFFIX);
		boolean moved = false;
		try {
			try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
				DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel)));
				writeTo(out, windows, inputs, nanoTime, wallMillis);
				out.flush();
				channel.force(true);
			}
			try {
				Files.move(temporary, this.file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
			}
			catch (AtomicMoveNotSupportedException ex) {
				Files.move(temporary, this.file, StandardCopyOption.REPLACE_EXISTING);
			}
			moved = true;
		}
		finally {
			if (!moved) {
				Files.deleteIfExists(temporary);
			}
		}
	}

	private static void writeTo(DataOutputStream out, List<Duration> windows, Map<String, RollingStatistics[]> inputs,
			long nanoTime, long wallMillis) throws IOException {
		out.writeInt(MAGIC);
		out.writeInt(VERSION);
		out.writeInt(windows.size());
		for (Duration window : windows) {
			out.writeLong(window.toNanos());
		}
		out.writeInt(inputs.size());
		for (Map.Entry<String, RollingStatistics[]> input : inputs.entrySet()) {
			out.writeUTF(input.getKey());
			for (RollingStatistics window : input.getValue()) {
				List<RollingStatistics.Slot> slots = window.slots(nanoTime, wallMillis);
				out.writeInt(slots.size());
				for (RollingStatistics.Slot slot : slots) {
					out.writeLong(slot.startMillis());
					out.writeDouble(slot.sum());
					out.writeDouble(slot.max());
					out.writeInt(slot.count());
				}
			}
		}
	}

	/**
	 * Reads the statistics back into {@code inputs}, creating an executor's windows with
	 * {@code windowsOf} as needed. Nothing is restored unless the whole file reads; a file
	 * written with other windows is ignored.
	 * @return whether the file was read; {@code false} when there is none or it was kept
	 * over other windows
	 * @throws IOException if the file cannot be read or is not a statistics file
	 */
	boolean read(List<Duration> windows, Map<String, RollingStatistics[]> inputs,
			Function<String, RollingStatistics @Nullable []> windowsOf, long nanoTime, long wallMillis)
			throws IOException {
		if (!Files.isRegularFile(this.file)) {
			return false;
		}
		long size = Files.size(this.file);
		if (size > MAX_BYTES) {
			throw new IOException(this.file + " holds " + size + " bytes, more than a capacity statistics file can");
		}
		List<Restored> restored = new ArrayList<>();
		try (InputStream stream = Files.newInputStream(this.file);
				DataInputStream in = new DataInputStream(new BufferedInputStream(stream))) {
			if (in.readInt() != MAGIC || in.readInt() != VERSION) {
				throw new IOException(this.file + " is not a capacity statistics file of this version");
			}
			int windowCount = in.readInt();
			if (windowCount != windows.size()) {
				return false;
			}
			for (Duration window : windows) {
				if (in.readLong() != window.toNanos()) {
					return false;
				}
			}
			int inputCount = in.readInt();
			for (int i = 0; i < inputCount; i++) {
				String name = in.readUTF();
				for (int w = 0; w < windowCount; w++) {
					int slots = in.readInt();
					for (int s = 0; s < slots; s++) {
						restored.add(new Restored(name, w, new RollingStatistics.Slot(in.readLong(), in.readDouble(),
								in.readDouble(), in.readInt())));
					}
				}
			}
		}
		for (Restored slot : restored) {
			RollingStatistics[] target = inputs.get(slot.input());
			if (target == null) {
				target = windowsOf.apply(slot.input());
			}
			if (target != null) {
				target[slot.window()].restore(slot.slot(), nanoTime, wallMillis);
			}
		}
		return true;
	}

	/** Lets another sampler take the directory; the files stay. */
	@Override
	public void close() throws IOException {
		this.lock.close();
	}

	private record Restored(String input, int window, RollingStatistics.Slot slot) {
	}

}
