package dev.diagkit.memory;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Percentage;
import jdk.jfr.StackTrace;

/**
 * A change of the adaptive heap target, written to every JFR recording that has the event
 * enabled (it is by default), so that a recording shows the target beside the collections it
 * caused.
 */
@Name(HeapTargetChangeEvent.NAME)
@Label("Heap Target Change")
@Description("The adaptive heap target moved: old and new target, why, and the figures it was decided on")
@Category({ "diagkit" })
@StackTrace(false)
final class HeapTargetChangeEvent extends Event {

	static final String NAME = "dev.diagkit.HeapTargetChange";

	@Label("From")
	@DataAmount(DataAmount.BYTES)
	long from;

	@Label("To")
	@DataAmount(DataAmount.BYTES)
	long to;

	@Label("Floor")
	@DataAmount(DataAmount.BYTES)
	long floor;

	@Label("Reason")
	String reason;

	@Label("Lever")
	String lever;

	@Label("Memory Pressure")
	@Description("PSI some avg10, in percent; NaN when not known")
	double pressure;

	@Label("GC Share of CPU")
	@Percentage
	double gcShare;

	@Label("Live Heap")
	@Description("The heap after the latest collection; -1 when not known")
	@DataAmount(DataAmount.BYTES)
	long liveHeap;

}
