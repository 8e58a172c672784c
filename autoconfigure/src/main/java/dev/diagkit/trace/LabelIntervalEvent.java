package dev.diagkit.trace;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;
import jdk.jfr.Timestamp;

import org.jspecify.annotations.Nullable;

/**
 * A stretch of time during which one thread carried the same profiling labels, written after
 * the fact from the label timelines. The event's own start time is when it was written; the
 * interval began {@code startedBefore} earlier, which places it on JFR's own clock exactly
 * (a wall-clock time computed in the application can be tens of microseconds off it).
 */
@Name(LabelIntervalEvent.NAME)
@Label("Label Interval")
@Category("diagkit")
@Description("A stretch of time during which a thread carried the same profiling labels; "
		+ "the event's own start time is when it was written, the interval is in its fields")
@StackTrace(false)
// off unless a recording enables it by name: JFR turns Java events on in every recording
@Enabled(false)
final class LabelIntervalEvent extends jdk.jfr.Event {

	static final String NAME = "diagkit.LabelInterval";

	@Label("Thread")
	@Description("The thread, when it was still alive as the interval was written")
	@Nullable Thread thread;

	@Label("Java Thread Id")
	long javaThreadId;

	@Label("Labels")
	@Description("The thread's profiling labels, as key=value pairs separated by commas")
	String labels;

	@Label("Start")
	@Timestamp(Timestamp.MILLISECONDS_SINCE_EPOCH)
	long start;

	@Label("Started Before")
	@Description("How long before this event was written the interval began: it begins at the event's start time "
			+ "minus this, on the clock of every other event of the recording")
	@Timespan(Timespan.NANOSECONDS)
	long startedBefore;

	@Label("Length")
	@Timespan(Timespan.NANOSECONDS)
	long length;

	@Label("Ongoing")
	@Description("Whether the thread still carried these labels as the trace ended: the interval lasts to the "
			+ "recording's end")
	boolean ongoing;

}
