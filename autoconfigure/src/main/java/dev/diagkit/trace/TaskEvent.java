package dev.diagkit.trace;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

import org.jspecify.annotations.Nullable;

/**
 * A {@link DiagTask}, committed when it ends: its duration is the task's.
 */
@Name(TaskEvent.NAME)
@Label("Task")
@Category("diagkit")
@Description("A unit of work (a request, a job) from DiagTrace.task to its end; regions and logs name it by id")
@StackTrace(false)
// off unless a recording enables it by name: JFR turns Java events on in every recording
@Enabled(false)
final class TaskEvent extends jdk.jfr.Event {

	static final String NAME = "diagkit.Task";

	@Label("Id")
	long id;

	@Label("Parent Id")
	@Description("The task this one was started in, 0 for none")
	long parentId;

	@Label("Name")
	String name;

	@Label("Start Thread")
	@Description("The thread that started the task; the event's own thread is the one that ended it")
	@Nullable Thread startThread;

	@Label("Labels")
	@Description("The profiling labels of the thread that started the task, as key=value pairs separated by commas")
	String labels;

}
