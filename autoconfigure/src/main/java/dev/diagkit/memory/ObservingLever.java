package dev.diagkit.memory;

/**
 * The lever of a collector that has no heap target to move at run time (Serial, Parallel,
 * Epsilon): it moves nothing, and the controller reports the targets it
 * would have set.
 */
final class ObservingLever implements HeapLever {

	private final Collector collector;

	ObservingLever(Collector collector) {
		this.collector = collector;
	}

	@Override
	public String name() {
		return "none (" + this.collector + " has no run-time heap target)";
	}

	@Override
	public boolean moves() {
		return false;
	}

	@Override
	public void apply(long targetBytes) {
	}

	@Override
	public void restore() {
	}

}
