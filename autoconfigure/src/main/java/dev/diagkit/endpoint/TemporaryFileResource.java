package dev.diagkit.endpoint;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

import org.springframework.core.io.FileSystemResource;

/**
 * A file streamed to the client once and deleted when the stream is closed, so a capture
 * leaves nothing behind on disk.
 */
final class TemporaryFileResource extends FileSystemResource {

	private final String filename;

	private final Consumer<Path> onDelete;

	private volatile Consumer<Boolean> onFinished = (sent) -> {
	};

	TemporaryFileResource(Path file, String filename, Consumer<Path> onDelete) {
		super(file);
		this.filename = filename;
		this.onDelete = onDelete;
	}

	/**
	 * Sets what to do once the stream is closed, told whether the whole file was read (sent
	 * to the client) or not (the client went away).
	 */
	void onFinished(Consumer<Boolean> onFinished) {
		this.onFinished = onFinished;
	}

	/**
	 * Not a file to the web stack: Spring WebFlux would send a file by zero-copy, never
	 * through {@link #getInputStream()}, and so never delete it.
	 */
	@Override
	public boolean isFile() {
		return false;
	}

	@Override
	public ReadableByteChannel readableChannel() throws IOException {
		return Channels.newChannel(getInputStream());
	}

	@Override
	public String getFilename() {
		return this.filename;
	}

	@Override
	public InputStream getInputStream() throws IOException {
		Path file = getFile().toPath();
		return new FilterInputStream(super.getInputStream()) {

			private boolean ended;

			@Override
			public int read() throws IOException {
				int b = super.read();
				this.ended |= b < 0;
				return b;
			}

			@Override
			public int read(byte[] buffer, int offset, int length) throws IOException {
				int n = super.read(buffer, offset, length);
				this.ended |= n < 0;
				return n;
			}

			@Override
			public void close() throws IOException {
				try {
					super.close();
				}
				finally {
					Files.deleteIfExists(file);
					TemporaryFileResource.this.onDelete.accept(file);
					TemporaryFileResource.this.onFinished.accept(this.ended);
				}
			}

		};
	}

}
