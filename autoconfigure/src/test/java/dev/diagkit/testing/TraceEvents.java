package dev.diagkit.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A JFR recording of diagkit's trace events ({@code diagkit.Task}, {@code diagkit.Region},
 * {@code diagkit.Log}, {@code diagkit.LabelInterval}), read back once stopped.
 */
public final class TraceEvents implements AutoCloseable {

	private final Recording recording = new Recording();

	private final Path file;

	private TraceEvents() throws IOException {
		this.file = Files.createTempFile("diag-trace-", ".jfr");
		for (String event : List.of("diagkit.Task", "diagkit.Region", "diagkit.Log", "diagkit.LabelInterval")) {
			this.recording.enable(event);
		}
		this.recording.start();
	}

	/**
	 * Starts recording.
	 * @return the recording
	 * @throws IOException if its file cannot be made
	 */
	public static TraceEvents record() throws IOException {
		return new TraceEvents();
	}

	/**
	 * Stops recording and reads what was recorded.
	 * @return the events
	 * @throws IOException if the recording cannot be read
	 */
	public List<RecordedEvent> stop() throws IOException {
		this.recording.stop();
		this.recording.dump(this.file);
		return RecordingFile.readAllEvents(this.file);
	}

	@Override
	public void close() throws IOException {
		this.recording.close();
		Files.deleteIfExists(this.file);
	}

	/**
	 * Returns the events of one type.
	 * @param events the events
	 * @param type the event type's name
	 * @return those of that type
	 */
	public static List<RecordedEvent> of(List<RecordedEvent> events, String type) {
		return events.stream().filter((e) -> e.getEventType().getName().equals(type)).collect(Collectors.toList());
	}

	/**
	 * Returns the one event of a type that matches, failing unless there is exactly one.
	 * @param events the events
	 * @param type the event type's name
	 * @param which which events match
	 * @return the event
	 */
	public static RecordedEvent only(List<RecordedEvent> events, String type, Predicate<RecordedEvent> which) {
		List<RecordedEvent> found = of(events, type).stream().filter(which).collect(Collectors.toList());
		assertThat(found).as(type + " in " + events).hasSize(1);
		return found.get(0);
	}

}
