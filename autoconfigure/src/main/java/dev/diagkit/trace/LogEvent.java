package dev.diagkit.trace;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A {@link DiagTrace#log message} written into the trace at an instant of a task.
 */
@Name(LogEvent.NAME)
@Label("Log")
@Category("diagkit")
@Description("A message logged into the trace at an instant of the task the thread works for")
@StackTrace(false)
// off unless a recording enables it by name: JFR turns Java events on in every recording
@Enabled(false)
final class LogEvent extends jdk.jfr.Event {

	static final String NAME = "diagkit.Log";

	@Label("Task Id")
	@Description("The task the message belongs to, 0 for none")
	long taskId;

	@Label("Category")
	String category;

	@Label("Message")
	String message;

}
