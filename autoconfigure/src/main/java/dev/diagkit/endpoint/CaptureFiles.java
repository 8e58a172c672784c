package dev.diagkit.endpoint;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Names of the files captures are downloaded as: the time they ended, in UTC.
 */
final class CaptureFiles {

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
		.withZone(ZoneOffset.UTC);

	private CaptureFiles() {
	}

	static String time(Instant instant) {
		return TIME.format(instant);
	}

}
