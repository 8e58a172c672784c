package dev.diagkit.endpoint;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
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

	TemporaryFileResource(Path file, String filename, Consumer<Path> onDelete) {
		super(file);
		this.filename = filename;
		this.onDelete = onDelete;
	}

	@Override
	public String getFilename() {
		return this.filename;
	}

	@Override
	public InputStream getInputStream() throws IOException {
		Path file = getFile().toPath();
		return new FilterInputStream(super.getInputStream()) {

			@Override
			public void close() throws IOException {
				try {
					super.close();
				}
				finally {
					Files.deleteIfExists(file);
					TemporaryFileResource.this.onDelete.accept(file);
				}
			}

		};
	}

}
