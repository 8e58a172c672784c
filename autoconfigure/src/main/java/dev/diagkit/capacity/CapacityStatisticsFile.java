package dev.diagkit.capacity;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The capacity sampler's rolling statistics on disk, so that a restarted service keeps its
 * hour (and day) of evidence. Each slot is written with its start on the wall clock; slots
 * that left their window while the service was down are dropped on reading. The file is
 * written to a temporary name and moved over the old one, so a crash leaves the old file or
 * the new one, never half of one. Its size is bounded: at most {@value #MAX_EXECUTORS}
 * executors are kept besides the fixed inputs, 360 slots of 28 bytes per input and window.
 */
final class CapacityStatisticsFile {

	/** The file's name in the statistics directory. */
	static final String NAME = "capacity-statistics.bin";

	static final int MAX_EXECUTORS = 32;

	private static final int MAGIC = 0x444b4353;

	private static final int VERSION = 1;

	private CapacityStatisticsFile() {
	}

	/**
	 * Writes the statistics of every input (the executors' under {@code executor:<name>}).
	 */
	static void write(Path file, List<Duration> windows, Map<String, RollingStatistics[]> inputs, long nanoTime,
			long wallMillis) throws IOException {
		Files.createDirectories(file.getParent());
		Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
		try (OutputStream stream = Files.newOutputStream(temporary);
				DataOutputStream out = new DataOutputStream(new BufferedOutputStream(stream))) {
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
		try {
			Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (AtomicMoveNotSupportedException ex) {
			Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
		}
	}

	/**
	 * Reads the statistics back into {@code inputs}, creating an executor's windows with
	 * {@code newWindows} as needed; a file written with other windows is ignored.
	 * @return whether the file was read
	 * @throws IOException if the file cannot be read or is not a statistics file
	 */
	static boolean read(Path file, List<Duration> windows, Map<String, RollingStatistics[]> inputs,
			java.util.function.Function<String, RollingStatistics @org.jspecify.annotations.Nullable []> windowsOf,
			long nanoTime, long wallMillis) throws IOException {
		try (InputStream stream = Files.newInputStream(file);
				DataInputStream in = new DataInputStream(new BufferedInputStream(stream))) {
			if (in.readInt() != MAGIC || in.readInt() != VERSION) {
				throw new IOException(file + " is not a capacity statistics file of this version");
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
				RollingStatistics[] target = inputs.get(name);
				if (target == null) {
					target = windowsOf.apply(name);
				}
				for (int w = 0; w < windowCount; w++) {
					int slots = in.readInt();
					for (int s = 0; s < slots; s++) {
						RollingStatistics.Slot slot = new RollingStatistics.Slot(in.readLong(), in.readDouble(),
								in.readDouble(), in.readInt());
						if (target != null) {
							target[w].restore(slot, nanoTime, wallMillis);
						}
					}
				}
			}
			return true;
		}
	}

}
