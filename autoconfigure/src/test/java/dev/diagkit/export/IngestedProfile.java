package dev.diagkit.export;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;

/**
 * What Pyroscope reads from an ingested pprof body: the sample types, each sample's values
 * and string labels, and the times, decoded with protobuf's wire reader by the field
 * numbers of pprof's {@code profile.proto}.
 *
 * @param sampleTypes each sample type as {@code type/unit}
 * @param samples the samples' values and labels
 * @param timeNanos {@code time_nanos}
 * @param durationNanos {@code duration_nanos}
 * @param period {@code period}
 */
public record IngestedProfile(List<String> sampleTypes, List<Sample> samples, long timeNanos, long durationNanos,
		long period) {

	/**
	 * A sample.
	 *
	 * @param values its values
	 * @param labels its string labels
	 */
	public record Sample(List<Long> values, Map<String, String> labels) {
	}

	/**
	 * Decodes a gzip'd {@code profile.proto}.
	 * @param gzipped the body
	 * @return the profile
	 * @throws IOException if the body is not gzip'd pprof
	 */
	static IngestedProfile read(byte[] gzipped) throws IOException {
		List<String> strings = new ArrayList<>();
		List<long[]> sampleTypes = new ArrayList<>();
		List<RawSample> samples = new ArrayList<>();
		long timeNanos = 0;
		long durationNanos = 0;
		long period = 0;
		try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
			CodedInputStream input = CodedInputStream.newInstance(in);
			int tag;
			while ((tag = input.readTag()) != 0) {
				switch (WireFormat.getTagFieldNumber(tag)) {
					case 1 -> sampleTypes.add(valueType(input.readBytes()));
					case 2 -> samples.add(sample(input.readBytes()));
					case 6 -> strings.add(input.readString());
					case 9 -> timeNanos = input.readInt64();
					case 10 -> durationNanos = input.readInt64();
					case 12 -> period = input.readInt64();
					default -> input.skipField(tag);
				}
			}
		}
		List<String> types = sampleTypes.stream()
			.map((type) -> strings.get((int) type[0]) + "/" + strings.get((int) type[1]))
			.toList();
		List<Sample> resolved = new ArrayList<>();
		for (RawSample sample : samples) {
			Map<String, String> labels = new LinkedHashMap<>();
			for (long[] label : sample.labels()) {
				labels.put(strings.get((int) label[0]), strings.get((int) label[1]));
			}
			resolved.add(new Sample(sample.values(), labels));
		}
		return new IngestedProfile(types, resolved, timeNanos, durationNanos, period);
	}

	private static long[] valueType(ByteString bytes) throws IOException {
		long[] type = new long[2];
		CodedInputStream input = bytes.newCodedInput();
		int tag;
		while ((tag = input.readTag()) != 0) {
			switch (WireFormat.getTagFieldNumber(tag)) {
				case 1 -> type[0] = input.readInt64();
				case 2 -> type[1] = input.readInt64();
				default -> input.skipField(tag);
			}
		}
		return type;
	}

	private static RawSample sample(ByteString bytes) throws IOException {
		List<Long> values = new ArrayList<>();
		List<long[]> labels = new ArrayList<>();
		CodedInputStream input = bytes.newCodedInput();
		int tag;
		while ((tag = input.readTag()) != 0) {
			switch (WireFormat.getTagFieldNumber(tag)) {
				case 2 -> {
					if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
						CodedInputStream packed = input.readBytes().newCodedInput();
						while (!packed.isAtEnd()) {
							values.add(packed.readInt64());
						}
					}
					else {
						values.add(input.readInt64());
					}
				}
				case 3 -> labels.add(label(input.readBytes()));
				default -> input.skipField(tag);
			}
		}
		return new RawSample(values, labels);
	}

	private static long[] label(ByteString bytes) throws IOException {
		long[] label = new long[2];
		CodedInputStream input = bytes.newCodedInput();
		int tag;
		while ((tag = input.readTag()) != 0) {
			switch (WireFormat.getTagFieldNumber(tag)) {
				case 1 -> label[0] = input.readInt64();
				case 2 -> label[1] = input.readInt64();
				default -> input.skipField(tag);
			}
		}
		return label;
	}

	private record RawSample(List<Long> values, List<long[]> labels) {
	}

}
