package dev.diagkit.metrics;

import java.nio.ByteBuffer;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * A child JVM for {@link MetricsBindersTests}: prints {@code diagkit.process.memory.rss}
 * before and after touching 64 MiB of direct memory. Its heap is fixed in size, so that no
 * heap is given back to the kernel in between.
 */
public final class ResidentSetMain {

	private ResidentSetMain() {
	}

	public static void main(String[] args) throws Exception {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		new ProcessMemoryMetrics().bindTo(registry);
		double before = registry.get("diagkit.process.memory.rss").gauge().value();
		ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024 * 1024);
		for (int i = 0; i < buffer.capacity(); i += 4096) {
			buffer.put(i, (byte) 1);
		}
		// the gauge keeps a reading for a second
		Thread.sleep(1100);
		double after = registry.get("diagkit.process.memory.rss").gauge().value();
		System.out.println("before=" + (long) before);
		System.out.println("after=" + (long) after);
		System.out.println("touched=" + buffer.get(4096));
	}

}
