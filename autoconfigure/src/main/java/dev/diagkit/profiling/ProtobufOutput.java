package dev.diagkit.profiling;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The part of the protocol buffers wire format that pprof's {@code profile.proto} needs:
 * varints, tags, 64-bit integer, boolean and string fields, and length-delimited messages
 * whose size the caller computes first with the {@code size} methods. Buffered; call
 * {@link #flush()} when done.
 */
final class ProtobufOutput {

	static final int WIRETYPE_VARINT = 0;

	static final int WIRETYPE_LENGTH_DELIMITED = 2;

	private final OutputStream out;

	private final byte[] buffer;

	private int position;

	ProtobufOutput(OutputStream out, int bufferSize) {
		this.out = out;
		this.buffer = new byte[Math.max(16, bufferSize)];
	}

	/** Bytes a varint of {@code value} takes: ten for a negative number, as protobuf writes int64. */
	static int varintSize(long value) {
		return (value == 0) ? 1 : (70 - Long.numberOfLeadingZeros(value)) / 7;
	}

	static int tagSize(int field) {
		return varintSize((long) field << 3);
	}

	/** Bytes a varint field takes, tag included. */
	static int varintFieldSize(int field, long value) {
		return tagSize(field) + varintSize(value);
	}

	/** Bytes a length-delimited field of {@code size} bytes takes, tag and length included. */
	static int lengthDelimitedSize(int field, int size) {
		return tagSize(field) + varintSize(size) + size;
	}

	void tag(int field, int wireType) throws IOException {
		varint(((long) field << 3) | wireType);
	}

	void varint(long value) throws IOException {
		if (this.buffer.length - this.position < 10) {
			flushBuffer();
		}
		long v = value;
		while ((v & ~0x7FL) != 0) {
			this.buffer[this.position++] = (byte) ((v & 0x7F) | 0x80);
			v >>>= 7;
		}
		this.buffer[this.position++] = (byte) v;
	}

	/** Writes an integer field (int64, uint64 or bool); the value is written as it is. */
	void varintField(int field, long value) throws IOException {
		tag(field, WIRETYPE_VARINT);
		varint(value);
	}

	/** Starts a length-delimited field whose {@code size} bytes the caller writes next. */
	void lengthDelimited(int field, int size) throws IOException {
		tag(field, WIRETYPE_LENGTH_DELIMITED);
		varint(size);
	}

	void stringField(int field, String value) throws IOException {
		byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
		lengthDelimited(field, bytes.length);
		if (bytes.length > this.buffer.length - this.position) {
			flushBuffer();
			this.out.write(bytes);
		}
		else {
			System.arraycopy(bytes, 0, this.buffer, this.position, bytes.length);
			this.position += bytes.length;
		}
	}

	void flush() throws IOException {
		flushBuffer();
		this.out.flush();
	}

	private void flushBuffer() throws IOException {
		this.out.write(this.buffer, 0, this.position);
		this.position = 0;
	}

}
