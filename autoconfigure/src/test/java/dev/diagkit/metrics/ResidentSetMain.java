package dev.diagkit.metrics;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Properties;

import dev.diagkit.runtime.ProcessCgroup;
import dev.diagkit.testing.ChildJvm;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * A child JVM for {@link MetricsBindersTests}: reports {@code diagkit.process.memory.rss}
 * before and after touching 64 MiB of direct memory. Its heap is fixed in size, so that no
 * heap is given back to the kernel in between.
 */
public final class ResidentSetMain {

	private ResidentSetMain() {
	}

	public static void main(String[] args) throws Exception {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		// a reading per read, so the gauge sees the memory as soon as it is touched
		new ProcessMemoryMetrics(ProcessCgroup.PROC_ROOT, ProcessCgroup.CGROUP_ROOT, Tags.empty(), Duration.ZERO)
			.bindTo(registry);
		double before = registry.get("diagkit.process.memory.rss").gauge().value();
		ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024 * 1024);
		for (int i = 0; i < buffer.capacity(); i += 4096) {
			buffer.put(i, (byte) 1);
		}
		double after = registry.get("diagkit.process.memory.rss").gauge().value();
		Properties results = new Properties();
		results.setProperty("before", Long.toString((long) before));
		results.setProperty("after", Long.toString((long) after));
		results.setProperty("touched", Byte.toString(buffer.get(4096)));
		ChildJvm.report(args[0], results);
	}

}
