package dev.diagkit.profiling;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.google.protobuf.CodedOutputStream;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * diagkit's small wire writer writes, byte for byte, what protobuf-java's writes.
 */
class ProtobufOutputTests {

	private static final List<Long> VALUES = List.of(0L, 1L, 127L, 128L, 300L, 16_383L, 16_384L,
			(long) Integer.MAX_VALUE, 1L << 35, Long.MAX_VALUE, -1L, Long.MIN_VALUE, -300L);

	@Test
	void varintFieldsAndSizesMatchProtobuf() throws Exception {
		for (int field : List.of(1, 2, 15, 16, 2047, 2048, 536_870_911)) {
			for (long value : VALUES) {
				ByteArrayOutputStream ours = new ByteArrayOutputStream();
				ProtobufOutput out = new ProtobufOutput(ours, 16);
				out.varintField(field, value);
				out.flush();
				ByteArrayOutputStream theirs = new ByteArrayOutputStream();
				CodedOutputStream coded = CodedOutputStream.newInstance(theirs);
				coded.writeInt64(field, value);
				coded.flush();
				assertThat(ours.toByteArray()).as("field %d value %d", field, value).isEqualTo(theirs.toByteArray());
				assertThat(ProtobufOutput.varintFieldSize(field, value))
					.isEqualTo(CodedOutputStream.computeInt64Size(field, value));
				assertThat(ProtobufOutput.varintSize(value)).isEqualTo(CodedOutputStream.computeInt64SizeNoTag(value));
			}
		}
	}

	@Test
	void stringsAndLengthDelimitedFieldsMatchProtobufAcrossTheBuffer() throws Exception {
		String longText = "é€😀 tenant=acme ".repeat(200);
		for (String text : List.of("", "a", "GET /orders/{id}", longText)) {
			ByteArrayOutputStream ours = new ByteArrayOutputStream();
			ProtobufOutput out = new ProtobufOutput(ours, 16);
			out.stringField(6, text);
			out.lengthDelimited(2, 3);
			out.varint(1);
			out.varint(2);
			out.varint(3);
			out.flush();
			ByteArrayOutputStream theirs = new ByteArrayOutputStream();
			CodedOutputStream coded = CodedOutputStream.newInstance(theirs);
			coded.writeString(6, text);
			coded.writeTag(2, 2);
			coded.writeUInt32NoTag(3);
			coded.writeUInt32NoTag(1);
			coded.writeUInt32NoTag(2);
			coded.writeUInt32NoTag(3);
			coded.flush();
			assertThat(ours.toByteArray()).isEqualTo(theirs.toByteArray());
			assertThat(ProtobufOutput.lengthDelimitedSize(6, text.getBytes(StandardCharsets.UTF_8).length))
				.isEqualTo(CodedOutputStream.computeStringSize(6, text));
		}
	}

}
