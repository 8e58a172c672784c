package dev.diagkit.runtime;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.jspecify.annotations.Nullable;

/**
 * An exclusive claim on a directory by one owner at a time, in this process or another: a
 * lock on a file in it, released on {@link #close()} or when the process ends (a crash
 * included). The lock file stays.
 */
public final class DirectoryLock implements Closeable {

	private final Path directory;

	private final FileChannel channel;

	private final FileLock lock;

	private DirectoryLock(Path directory, FileChannel channel, FileLock lock) {
		this.directory = directory;
		this.channel = channel;
		this.lock = lock;
	}

	/**
	 * Claims {@code directory}, creating it if needed.
	 * @param directory the directory
	 * @param fileName the lock file's name in it
	 * @return the claim, or {@code null} when another owner holds it
	 * @throws IOException if the directory cannot be created or the file opened
	 */
	public static @Nullable DirectoryLock tryAcquire(Path directory, String fileName) throws IOException {
		Files.createDirectories(directory);
		FileChannel channel = FileChannel.open(directory.resolve(fileName), StandardOpenOption.CREATE,
				StandardOpenOption.WRITE);
		FileLock lock;
		try {
			lock = channel.tryLock();
		}
		catch (OverlappingFileLockException ex) {
			// held by another channel of this process
			lock = null;
		}
		catch (IOException | RuntimeException ex) {
			channel.close();
			throw ex;
		}
		if (lock == null) {
			channel.close();
			return null;
		}
		return new DirectoryLock(directory, channel, lock);
	}

	/**
	 * Claims {@code directory} or says who to ask.
	 * @param directory the directory
	 * @param fileName the lock file's name in it
	 * @param owner what claims it, for the message, such as {@code "Profile store"}
	 * @return the claim
	 * @throws DirectoryInUseException when another owner holds it
	 * @throws IOException if the directory cannot be created or the file opened
	 */
	public static DirectoryLock acquire(Path directory, String fileName, String owner) throws IOException {
		DirectoryLock lock = tryAcquire(directory, fileName);
		if (lock == null) {
			throw new DirectoryInUseException(directory, owner);
		}
		return lock;
	}

	/**
	 * Deletes the files a crash left half written: while the claim is held, no other owner
	 * writes there. On failure the claim is released.
	 * @param glob the leftovers' names, such as {@code "window-*.tmp"}
	 * @throws IOException if the directory cannot be read or a file deleted
	 */
	public void deleteLeftovers(String glob) throws IOException {
		try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(this.directory, glob)) {
			for (Path leftover : leftovers) {
				Files.deleteIfExists(leftover);
			}
		}
		catch (IOException | RuntimeException ex) {
			close();
			throw ex;
		}
	}

	/** Lets another owner claim the directory. */
	@Override
	public void close() throws IOException {
		try {
			this.lock.release();
		}
		finally {
			this.channel.close();
		}
	}

	/**
	 * Thrown when another owner, in this process or another (a second instance of the
	 * service on the same host), holds a directory.
	 */
	public static final class DirectoryInUseException extends IllegalStateException {

		private static final long serialVersionUID = 1L;

		private final transient Path directory;

		DirectoryInUseException(Path directory, String owner) {
			super(owner + " directory " + directory + " is in use by another, in this process or another (a second "
					+ "instance of the service on this host?); give each a directory of its own");
			this.directory = directory;
		}

		/**
		 * Returns the directory another owner holds.
		 * @return the directory
		 */
		public Path directory() {
			return this.directory;
		}

	}

}
