package dev.diagkit.profiling;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The reading counterpart of {@link ProtobufOutput}: varints, tags and length-delimited
 * fields of a message held in memory, between a start and a limit. Every length the input
 * declares is checked against what remains before it is used, so a corrupt or hostile
 * message cannot make the reader allocate more than the input's size.
 */
final class ProtobufInput {

	static final int WIRETYPE_VARINT = 0;

	static final int WIRETYPE_FIXED64 = 1;

	static final int WIRETYPE_LENGTH_DELIMITED = 2;

	static final int WIRETYPE_FIXED32 = 5;

	private final byte[] buffer;

	private int position;

	private final int limit;

	/**
	 * Reads {@code buffer[start, limit)}.
	 */
	ProtobufInput(byte[] buffer, int start, int limit) {
		this.buffer = buffer;
		this.position = start;
		this.limit = limit;
	}

	boolean hasRemaining() {
		return this.position < this.limit;
	}

	int position() {
		return this.position;
	}

	/**
	 * Moves to a position of the message, such as the end {@link #lengthDelimitedEnd()}
	 * returned.
	 */
	void skipTo(int position) {
		this.position = position;
	}

	/**
	 * Reads a tag and returns it; its field is {@code tag >>> 3} and its wire type
	 * {@code tag & 7}.
	 */
	int tag() throws IOException {
		long tag = varint();
		if (tag <= 0 || tag > Integer.MAX_VALUE || (tag >>> 3) == 0) {
			throw new IOException("Byte " + this.position + " holds an invalid field tag " + tag);
		}
		return (int) tag;
	}

	long varint() throws IOException {
		long value = 0;
		for (int shift = 0; shift < 64; shift += 7) {
			if (this.position >= this.limit) {
				throw new IOException("A number at byte " + this.position + " runs past the end of its message");
			}
			byte b = this.buffer[this.position++];
			value |= (long) (b & 0x7F) << shift;
			if (b >= 0) {
				return value;
			}
		}
		throw new IOException("A number ending at byte " + this.position + " is longer than ten bytes");
	}

	/**
	 * Reads the length of a length-delimited field and returns the field's end, checked
	 * against what remains; the field's bytes start at {@link #position()}.
	 */
	int lengthDelimitedEnd() throws IOException {
		long length = varint();
		int remaining = this.limit - this.position;
		if (length < 0 || length > remaining) {
			throw new IOException("A field at byte " + this.position + " declares " + length + " bytes, but only "
					+ remaining + " remain");
		}
		return this.position + (int) length;
	}

	/**
	 * Reads a length-delimited field as a nested input and moves past it.
	 */
	ProtobufInput message() throws IOException {
		int end = lengthDelimitedEnd();
		ProtobufInput nested = new ProtobufInput(this.buffer, this.position, end);
		this.position = end;
		return nested;
	}

	String string() throws IOException {
		int end = lengthDelimitedEnd();
		String value = new String(this.buffer, this.position, end - this.position, StandardCharsets.UTF_8);
		this.position = end;
		return value;
	}

	/**
	 * Skips a field's value.
	 * @param wireType the wire type of the field's tag
	 */
	void skip(int wireType) throws IOException {
		switch (wireType) {
			case WIRETYPE_VARINT -> varint();
			case WIRETYPE_FIXED64 -> skipBytes(8);
			case WIRETYPE_LENGTH_DELIMITED -> this.position = lengthDelimitedEnd();
			case WIRETYPE_FIXED32 -> skipBytes(4);
			default -> throw new IOException("Byte " + this.position + " follows a field of unsupported wire type "
					+ wireType + "; protobuf's are 0, 1, 2 and 5");
		}
	}

	private void skipBytes(int count) throws IOException {
		if (this.limit - this.position < count) {
			throw new IOException("A field at byte " + this.position + " needs " + count + " bytes, but only "
					+ (this.limit - this.position) + " remain");
		}
		this.position += count;
	}

}
