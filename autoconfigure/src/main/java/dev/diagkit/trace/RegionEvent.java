package dev.diagkit.trace;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A {@link DiagTrace#region region}: a named stretch of one thread's work within a task.
 */
@Name(RegionEvent.NAME)
@Label("Region")
@Category("diagkit")
@Description("A named stretch of one thread's work, within the task the thread works for")
@StackTrace(false)
// off unless a recording enables it by name: JFR turns Java events on in every recording
@Enabled(false)
final class RegionEvent extends jdk.jfr.Event {

	static final String NAME = "diagkit.Region";

	@Label("Task Id")
	@Description("The task the region belongs to, 0 for none")
	long taskId;

	@Label("Name")
	String name;

}
