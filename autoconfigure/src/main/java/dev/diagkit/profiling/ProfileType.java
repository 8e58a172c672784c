package dev.diagkit.profiling;

import java.util.List;

/**
 * The kinds of profile diagkit takes, each with the values every sample carries, in the
 * units pprof expects (Go's {@code profile}, {@code allocs} and {@code mutex}/{@code block}
 * profiles).
 */
public enum ProfileType {

	/** CPU time: samples and the CPU time they stand for. */
	CPU("cpu", List.of(new ValueType("samples", "count"), new ValueType("cpu", "nanoseconds")),
			new ValueType("cpu", "nanoseconds")),

	/** Allocation: bytes and objects allocated, weighted from JFR's allocation samples. */
	ALLOC("alloc", List.of(new ValueType("alloc_objects", "count"), new ValueType("alloc_space", "bytes")),
			new ValueType("space", "bytes")),

	/** Lock contention: monitor waits and parks over the threshold, and how long they took. */
	LOCK("lock", List.of(new ValueType("contentions", "count"), new ValueType("delay", "nanoseconds")),
			new ValueType("contentions", "count")),

	/**
	 * Memory still held: objects JFR's old-object sampler picked as they were allocated and
	 * that are still alive, with their sizes (JDK 18+; 0 on 17). A sample of the heap, not an
	 * estimate of all of it.
	 */
	LIVE("live", List.of(new ValueType("inuse_objects", "count"), new ValueType("inuse_space", "bytes")),
			new ValueType("space", "bytes"));

	private final String id;

	private final List<ValueType> sampleTypes;

	private final ValueType periodType;

	ProfileType(String id, List<ValueType> sampleTypes, ValueType periodType) {
		this.id = id;
		this.sampleTypes = sampleTypes;
		this.periodType = periodType;
	}

	/**
	 * Returns the name used in parameters and file names: {@code cpu}, {@code alloc},
	 * {@code lock}, {@code live}.
	 * @return the id
	 */
	public String id() {
		return this.id;
	}

	/**
	 * Returns the values every sample carries, in order.
	 * @return the sample types
	 */
	public List<ValueType> sampleTypes() {
		return this.sampleTypes;
	}

	/**
	 * Returns what the profile's period counts.
	 * @return the period type
	 */
	public ValueType periodType() {
		return this.periodType;
	}

	/**
	 * A value's type and unit, as pprof's {@code ValueType}.
	 *
	 * @param type the type, such as {@code cpu}
	 * @param unit the unit, such as {@code nanoseconds}
	 */
	public record ValueType(String type, String unit) {
	}

}
