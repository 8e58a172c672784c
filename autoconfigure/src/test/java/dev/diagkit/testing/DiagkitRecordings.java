package dev.diagkit.testing;

import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;
import jdk.jfr.RecordingState;

/**
 * The JFR recordings diagkit's captures start in this JVM.
 */
public final class DiagkitRecordings {

	private DiagkitRecordings() {
	}

	/**
	 * Counts diagkit's recordings that are running.
	 * @return how many
	 */
	public static long running() {
		return FlightRecorder.getFlightRecorder()
			.getRecordings()
			.stream()
			.filter((recording) -> recording.getName().startsWith("diagkit"))
			.map(Recording::getState)
			.filter((state) -> state == RecordingState.RUNNING)
			.count();
	}

}
