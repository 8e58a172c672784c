package dev.diagkit.trace;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * A task of an executor diagkit times started after waiting in its queue: written by the
 * worker as it starts the task.
 */
@Name(QueueWaitEvent.NAME)
@Label("Queue Wait")
@Category("diagkit")
@Description("A task left an executor's queue: how long it waited there, written by the worker that starts it")
@StackTrace(false)
// off unless a recording enables it by name: JFR turns Java events on in every recording
@Enabled(false)
final class QueueWaitEvent extends jdk.jfr.Event {

	static final String NAME = "diagkit.QueueWait";

	@Label("Executor")
	String executor;

	@Label("Wait")
	@Timespan(Timespan.NANOSECONDS)
	long wait;

}
