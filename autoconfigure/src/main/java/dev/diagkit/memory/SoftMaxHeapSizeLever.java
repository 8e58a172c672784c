package dev.diagkit.memory;

import java.lang.management.ManagementFactory;
import java.util.Optional;

import com.sun.management.HotSpotDiagnosticMXBean;

/**
 * Moves the heap target through {@code SoftMaxHeapSize}, a manageable VM option that ZGC and
 * Shenandoah keep the heap under unless the application needs more.
 */
public final class SoftMaxHeapSizeLever implements HeapLever {

	static final String OPTION = "SoftMaxHeapSize";

	private final HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);

	private final String original = this.hotspot.getVMOption(OPTION).getValue();

	private final Collector collector;

	/**
	 * Creates the lever for the running collector.
	 */
	public SoftMaxHeapSizeLever() {
		this(Collector.running());
	}

	/**
	 * Creates the lever.
	 * @param collector the running collector, for {@link #advice()}
	 */
	public SoftMaxHeapSizeLever(Collector collector) {
		this.collector = collector;
	}

	@Override
	public String name() {
		return OPTION;
	}

	@Override
	public boolean moves() {
		return true;
	}

	@Override
	public void apply(long targetBytes) {
		this.hotspot.setVMOption(OPTION, Long.toString(targetBytes));
	}

	@Override
	public Optional<String> advice() {
		return UncommitAdvice.of(this.collector);
	}

	@Override
	public void restore() {
		this.hotspot.setVMOption(OPTION, this.original);
	}

	/**
	 * Returns the option's value now.
	 * @return bytes
	 */
	public long current() {
		return Long.parseLong(this.hotspot.getVMOption(OPTION).getValue());
	}

}
