package dev.diagkit.profiling;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import jdk.jfr.Recording;
import org.jspecify.annotations.Nullable;

/**
 * Bounded JFR recordings into temporary files, shared by traces and profiles: it knows the
 * recordings running and the files handed out, so that closing it ends the first and deletes
 * the second; nothing outlives the application. Every recording leaves out the JDK events
 * that carry secrets ({@link JfrRedaction}).
 */
public final class JfrRecordings implements AutoCloseable {

	private final Set<Recording> running = ConcurrentHashMap.newKeySet();

	private final Set<Path> files = ConcurrentHashMap.newKeySet();

	private final CountDownLatch closed = new CountDownLatch(1);

	/**
	 * Records for {@code duration} and returns the file, which the caller deletes and reports
	 * with {@link #deleted(Path)}.
	 * @param name the recording's name, also the file's prefix
	 * @param configure enables the events and settings
	 * @param duration how long to record
	 * @param tickMillis how often to call {@code tick} while recording
	 * @param tick called on the recording thread while recording, or {@code null}
	 * @return the JFR file
	 * @throws IOException if the recording cannot be written, or these recordings closed
	 * @throws InterruptedException if interrupted while recording (the file is deleted)
	 */
	public Path record(String name, Consumer<Recording> configure, Duration duration, long tickMillis,
			@Nullable Runnable tick) throws IOException, InterruptedException {
		return record(name, configure, duration, tickMillis, tick, null);
	}

	/**
	 * Records for {@code duration} and returns the file, which the caller deletes and reports
	 * with {@link #deleted(Path)}.
	 * @param name the recording's name, also the file's prefix
	 * @param configure enables the events and settings
	 * @param duration how long to record
	 * @param tickMillis how often to call {@code tick} while recording
	 * @param tick called on the recording thread while recording, or {@code null}
	 * @param beforeStop called on the recording thread once the duration is over, while the
	 * recording still runs, or {@code null}
	 * @return the JFR file
	 * @throws IOException if the recording cannot be written, or these recordings closed
	 * @throws InterruptedException if interrupted while recording (the file is deleted)
	 */
	public Path record(String name, Consumer<Recording> configure, Duration duration, long tickMillis,
			@Nullable Runnable tick, @Nullable Runnable beforeStop) throws IOException, InterruptedException {
		Path file = Files.createTempFile(name + "-", ".jfr");
		boolean handedOver = false;
		try (Recording recording = new Recording()) {
			configure.accept(recording);
			JfrRedaction.apply(recording);
			recording.setName(name);
			recording.setToDisk(true);
			this.running.add(recording);
			try {
				recording.start();
				JfrRedaction.recordRedacted();
				awaitEnd(duration, tickMillis, tick);
				if (beforeStop != null) {
					beforeStop.run();
				}
				recording.stop();
				recording.dump(file);
			}
			finally {
				this.running.remove(recording);
			}
			handedOver = true;
			this.files.add(file);
			return file;
		}
		finally {
			if (!handedOver) {
				Files.deleteIfExists(file);
			}
		}
	}

	private void awaitEnd(Duration duration, long tickMillis, @Nullable Runnable tick)
			throws IOException, InterruptedException {
		long deadline = System.nanoTime() + duration.toNanos();
		while (true) {
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				return;
			}
			long wait = TimeUnit.NANOSECONDS.toMillis(left) + 1;
			if (tick != null) {
				wait = Math.min(wait, tickMillis);
			}
			if (this.closed.await(wait, TimeUnit.MILLISECONDS)) {
				throw new IOException("The application is shutting down; the recording was abandoned");
			}
			if (tick != null) {
				tick.run();
			}
		}
	}

	/**
	 * Makes a file returned by {@link #record} fit to serve: without the JDK events that
	 * carry secrets ({@link JfrRedaction#scrub(Path)}); a file that cannot be made so is
	 * deleted.
	 * @param file the file
	 * @return the file
	 * @throws UnsafeRecordingException if the file holds secrets this JDK cannot remove
	 * @throws IOException if the file cannot be read or rewritten
	 */
	public Path scrubbed(Path file) throws IOException {
		try {
			JfrRedaction.scrub(file);
			return file;
		}
		catch (IOException ex) {
			Files.deleteIfExists(file);
			this.files.remove(file);
			throw ex;
		}
	}

	/**
	 * Notes that a file returned by {@link #record} was deleted by its user.
	 * @param file the file
	 */
	public void deleted(Path file) {
		this.files.remove(file);
	}

	/**
	 * Returns how many recordings run now.
	 * @return the count
	 */
	public int running() {
		return this.running.size();
	}

	/**
	 * Ends the recordings still running (their callers get an {@link IOException}) and
	 * deletes files handed out and not yet deleted.
	 */
	@Override
	public void close() {
		this.closed.countDown();
		for (Recording recording : this.running) {
			recording.close();
		}
		for (Path file : this.files) {
			try {
				Files.deleteIfExists(file);
			}
			catch (IOException ex) {
				// best effort at shutdown: the temporary directory is the operating system's
			}
			this.files.remove(file);
		}
	}

}
